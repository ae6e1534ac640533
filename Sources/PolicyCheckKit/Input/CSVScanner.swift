import Foundation

/// Finds the rows and fields of RFC 4180 CSV in a buffer of UTF-8 bytes: fields separated by commas,
/// rows by LF or CRLF, quoted fields with doubled quotes and embedded commas and line breaks.
///
/// Scanning is a single pass over bytes with no allocation per row; fields are returned as byte
/// ranges and unquoted only when they are read.
public enum CSVScanner {
    static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"),
               carriageReturn = UInt8(ascii: "\r")

    /// Row ends in `bytes[from...]`: the offset just past each row's line break. A row cut by the end of
    /// the buffer is not returned unless `isFinal`; `consumed` is where the next scan must start.
    /// - Complexity: O(n) in the bytes scanned.
    public static func rowEnds(_ bytes: UnsafeRawBufferPointer, from start: Int, isFinal: Bool,
                               into ends: inout [Int]) -> (consumed: Int, openQuoteAt: Int?) {
        guard let base = bytes.baseAddress else { return (start, nil) }
        let count = bytes.count
        var index = start  // where the next row starts
        while index < count {
            // Most rows hold no quote: each is found by two `memchr`s (its line break, then a quote before it)
            // rather than a test per byte.
            if let found = memchr(base + index, Int32(newline), count - index) {
                let lineEnd = base.distance(to: UnsafeRawPointer(found))
                if memchr(base + index, Int32(quote), lineEnd - index) == nil {
                    ends.append(lineEnd + 1)
                    index = lineEnd + 1
                    continue
                }
            }
            // A row with a quote, or a last row without a line break: walked byte by byte to the first line
            // break outside quotes.
            var inQuote = false
            var quoteStart = 0
            var position = index
            while position < count, bytes[position] != newline || inQuote {
                if bytes[position] == quote {
                    if !inQuote { quoteStart = position }
                    inQuote.toggle()
                }
                position += 1
            }
            if position < count {
                ends.append(position + 1)
                index = position + 1
                continue
            }
            // The buffer ends inside this row: it waits for the next block, unless there is none.
            guard isFinal else { break }
            if inQuote { return (index, quoteStart) }
            ends.append(count)
            index = count
        }
        return (index, nil)
    }

    /// A field's bytes as written, between separators.
    public struct FieldRange: Sendable {
        public var start: Int
        public var end: Int
        public var isQuoted: Bool
        /// The field's place in its row, from 0.
        public var column: Int
    }

    public enum RowProblem: Sendable, Equatable {
        /// A character after a closing quote, at this field (0-based).
        case textAfterQuote(field: Int)
    }

    /// Splits one row (`start ..< end`, line break included or not) into fields.
    public static func fields(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int,
                              into fields: inout [FieldRange]) -> RowProblem? {
        let stop = contentEnd(bytes, start: start, end: end)
        if let base = bytes.baseAddress, memchr(base + start, Int32(quote), stop - start) == nil,
           let count = unquotedFields(bytes, start: start, stop: stop, into: &fields) {
            if count < fields.count { fields.removeSubrange(count...) }
            return nil
        }
        fields.removeAll(keepingCapacity: true)
        var index = start
        while true {
            if index < stop, bytes[index] == quote {
                let fieldStart = index + 1
                index += 1
                while index < stop {
                    if bytes[index] == quote {
                        if index + 1 < stop, bytes[index + 1] == quote { index += 2; continue }
                        break
                    }
                    index += 1
                }
                fields.append(FieldRange(start: fieldStart, end: min(index, stop), isQuoted: true, column: fields.count))
                index += 1  // past the closing quote
                if index < stop, bytes[index] != comma { return .textAfterQuote(field: fields.count - 1) }
            } else {
                let fieldStart = index
                while index < stop, bytes[index] != comma { index += 1 }
                fields.append(FieldRange(start: fieldStart, end: index, isQuoted: false, column: fields.count))
            }
            if index >= stop { return nil }
            index += 1  // past the comma
            if index == stop {
                fields.append(FieldRange(start: stop, end: stop, isQuoted: false, column: fields.count))
                return nil
            }
        }
    }

    /// Where a row's fields end: before its line break (LF or CRLF), if it has one.
    static func contentEnd(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> Int {
        var stop = end
        if stop > start, bytes[stop - 1] == newline { stop -= 1 }
        if stop > start, bytes[stop - 1] == carriageReturn { stop -= 1 }
        return stop
    }

    /// A row without quotes split at its commas into the slots `fields` already has (a table's rows have the
    /// same number of fields, so after the first row there is room): the number of fields, or nil when there
    /// are more than slots. Writing slots in place spares an append, with its checks, per field.
    private static func unquotedFields(_ bytes: UnsafeRawBufferPointer, start: Int, stop: Int,
                                       into fields: inout [FieldRange]) -> Int? {
        fields.withUnsafeMutableBufferPointer { slots -> Int? in
            var count = 0
            var fieldStart = start
            let roomy = forEachComma(bytes, start: start, stop: stop) { position in
                if count == slots.count { return false }
                slots[count] = FieldRange(start: fieldStart, end: position, isQuoted: false, column: count)
                count += 1
                fieldStart = position + 1
                return true
            }
            if !roomy || count == slots.count { return nil }
            slots[count] = FieldRange(start: fieldStart, end: stop, isQuoted: false, column: count)
            return count + 1
        }
    }

    /// Calls `body` with the offset of each comma in `bytes[start ..< stop]` in order, until it returns false;
    /// returns whether it never did.
    @inline(__always)
    static func forEachComma(_ bytes: UnsafeRawBufferPointer, start: Int, stop: Int, _ body: (Int) -> Bool) -> Bool {
        var index = start
        // Eight bytes at a time: a byte equal to a comma becomes zero under the XOR, and the masked sum sets the
        // top bit of exactly the zero bytes (no carry crosses a byte, so a `-` after a comma is no comma).
        let commas: UInt64 = 0x2C2C_2C2C_2C2C_2C2C, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while index + 8 <= stop {
            let x = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ commas
            var found = ~(((x & low7) &+ low7) | x | low7)
            while found != 0 {
                if !body(index + found.trailingZeroBitCount >> 3) { return false }
                found &= found &- 1
            }
            index += 8
        }
        for position in index..<stop where bytes[position] == comma {
            if !body(position) { return false }
        }
        return true
    }

    /// The text of a field, with doubled quotes undone; nil when it is not valid UTF-8.
    public static func string(_ bytes: UnsafeRawBufferPointer, _ field: FieldRange) -> String? {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end])
        if field.isQuoted, slice.contains(quote) {
            var unquoted: [UInt8] = []
            unquoted.reserveCapacity(slice.count)
            var i = 0
            while i < slice.count {
                unquoted.append(slice[i])
                i += (slice[i] == quote && i + 1 < slice.count && slice[i + 1] == quote) ? 2 : 1
            }
            return unquoted.withUnsafeBytes(UTF8Check.string)
        }
        return UTF8Check.string(slice)
    }
}
