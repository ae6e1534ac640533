import Foundation

/// Addition, subtraction, multiplication, ordering and printing of `Decimal`s whose significands
/// fit in 64 bits, in integer registers.
///
/// Foundation's `Decimal` operations unpack both operands into variable-length arrays, which
/// allocate, for every `+` and `<`; a spending audit does several per row. Money read from a file
/// has at most a few dozen digits, so nearly every operation here takes the integer path and
/// gives the very `Decimal` Foundation would: the same value, compacted as Foundation compacts it.
/// Anything else — longer significands, exponents out of range, NaN, division — is left to
/// Foundation. A result beyond `Decimal`'s range, above or below, is NaN, as Foundation's `+` gives
/// it (its `*` and `-` trap instead; these do not).
///
/// `Decimal`'s stored layout is that of `NSDecimal` (a signed exponent byte; the significand's
/// length in 16-bit words, sign and compact flags; then eight 16-bit words, least significant
/// first). That layout is checked once, against Foundation's own parsing and printing, before
/// the integer path is used; should a Foundation release store it differently, every operation
/// goes to Foundation.
enum ExactDecimal {
    /// A decimal as sign, significand and power of ten.
    struct Parts: Equatable {
        var negative: Bool
        var significand: UInt64
        var exponent: Int
    }

    // MARK: - Operations

    static func sum(_ a: Decimal, _ b: Decimal) -> Decimal {
        if let x = parts(a), let y = parts(b), let result = add(x, y) { return result }
        var result = Decimal(), lhs = a, rhs = b
        return NSDecimalAdd(&result, &lhs, &rhs, .plain) == .overflow ? .nan : result
    }

    /// `a + (-b)`: Foundation's own subtraction traps on some operands at the exponent's limits.
    static func difference(_ a: Decimal, _ b: Decimal) -> Decimal {
        sum(a, -b)
    }

    static func product(_ a: Decimal, _ b: Decimal) -> Decimal {
        if let x = parts(a), let y = parts(b) {
            let (significand, overflow) = x.significand.multipliedReportingOverflow(by: y.significand)
            if !overflow, let result = make(Parts(negative: x.negative != y.negative, significand: significand,
                                                  exponent: x.exponent + y.exponent)) { return result }
        }
        // Foundation traps on a product whose exponent falls below its range rather than reporting underflow.
        if a.isNaN || b.isNaN { return .nan }
        if a.exponent + b.exponent < Int(Int8.min) { return a.isZero || b.isZero ? Decimal() : .nan }
        var result = Decimal(), lhs = a, rhs = b
        return NSDecimalMultiply(&result, &lhs, &rhs, .plain) == .overflow ? .nan : result
    }

    /// -1, 0 or 1.
    static func compare(_ a: Decimal, _ b: Decimal) -> Int {
        guard let x = parts(a), let y = parts(b), let order = order(x, y) else { return a < b ? -1 : (a == b ? 0 : 1) }
        return order
    }

    /// The text `Decimal.description` gives: plain digits, no exponent, no trailing fraction zeros.
    static func description(of value: Decimal) -> String {
        guard let x = parts(value), isCompact(x) else { return value.description }
        var bytes: [UInt8] = []
        append(x, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The decimal digits of a whole number, after a minus sign when it is negative, handed to `emit` a byte at a time.
    @inline(__always)
    static func forEachDigit(of value: Int, _ emit: (UInt8) -> Void) {
        if value < 0 { emit(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        repeat {
            emit(UInt8(ascii: "0") + UInt8(magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    /// The same text appended to UTF-8 bytes.
    static func append(_ value: Decimal, to bytes: inout [UInt8]) {
        guard let x = parts(value), isCompact(x) else {
            bytes.append(contentsOf: value.description.utf8)
            return
        }
        append(x, to: &bytes)
    }

    /// Whether the fraction has no trailing zero, as every decimal Foundation makes; printing any other is left to it.
    private static func isCompact(_ x: Parts) -> Bool { x.exponent >= 0 || x.significand % 10 != 0 }

    /// The decimal `significand × 10^exponent` as Foundation would store it.
    static func decimal(negative: Bool, significand: UInt64, exponent: Int) -> Decimal {
        make(Parts(negative: negative, significand: significand, exponent: exponent))
            ?? Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }

    // MARK: - Integer path

    private static func add(_ x: Parts, _ y: Parts) -> Decimal? {
        guard let (a, b, exponent) = aligned(x, y) else { return nil }
        let result: Parts
        if x.negative == y.negative {
            let (total, overflow) = a.addingReportingOverflow(b)
            if overflow { return nil }
            result = Parts(negative: x.negative, significand: total, exponent: exponent)
        } else if a >= b {
            result = Parts(negative: x.negative, significand: a - b, exponent: exponent)
        } else {
            result = Parts(negative: y.negative, significand: b - a, exponent: exponent)
        }
        return make(result)
    }

    private static func order(_ x: Parts, _ y: Parts) -> Int? {
        let xSign = x.significand == 0 ? 0 : (x.negative ? -1 : 1)
        let ySign = y.significand == 0 ? 0 : (y.negative ? -1 : 1)
        if xSign != ySign { return xSign < ySign ? -1 : 1 }
        if xSign == 0 { return 0 }
        guard let (a, b, _) = aligned(x, y) else { return nil }
        let magnitude = a == b ? 0 : (a < b ? -1 : 1)
        return xSign < 0 ? -magnitude : magnitude
    }

    /// Both significands scaled to the smaller exponent, or nil when one would overflow.
    private static func aligned(_ x: Parts, _ y: Parts) -> (UInt64, UInt64, Int)? {
        if x.exponent == y.exponent { return (x.significand, y.significand, x.exponent) }
        if x.exponent > y.exponent {
            guard let a = scaled(x.significand, by: x.exponent - y.exponent) else { return nil }
            return (a, y.significand, y.exponent)
        }
        guard let b = scaled(y.significand, by: y.exponent - x.exponent) else { return nil }
        return (x.significand, b, x.exponent)
    }

    private static let powersOfTen: [UInt64] = (0...19).map { (0..<$0).reduce(UInt64(1)) { product, _ in product * 10 } }

    private static func scaled(_ value: UInt64, by places: Int) -> UInt64? {
        if value == 0 { return 0 }
        guard places < powersOfTen.count else { return nil }
        let (result, overflow) = value.multipliedReportingOverflow(by: powersOfTen[places])
        return overflow ? nil : result
    }

    private static func append(_ x: Parts, to bytes: inout [UInt8]) {
        let zero = UInt8(ascii: "0")
        if x.significand == 0 {
            bytes.append(zero)
            return
        }
        if x.negative { bytes.append(UInt8(ascii: "-")) }
        // The significand's digits, least significant first.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = x.significand
            while rest != 0 {
                buffer[count] = zero + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            if x.exponent >= 0 {
                for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
                bytes.append(contentsOf: repeatElement(zero, count: x.exponent))
                return
            }
            let places = -x.exponent
            if count > places {
                for index in stride(from: count - 1, through: places, by: -1) { bytes.append(buffer[index]) }
            } else {
                bytes.append(zero)
            }
            bytes.append(UInt8(ascii: "."))
            if places > count { bytes.append(contentsOf: repeatElement(zero, count: places - count)) }
            for index in stride(from: min(count, places) - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    // MARK: - Layout

    /// The parts of a decimal with a significand of at most 64 bits; nil for longer ones, NaN, or an unchecked layout.
    @inline(__always)
    static func parts(_ value: Decimal) -> Parts? {
        guard layoutChecked else { return nil }
        return unpack(value)
    }

    private static func unpack(_ value: Decimal) -> Parts? {
        withUnsafeBytes(of: value) { raw -> Parts? in
            let flags = raw[1]
            let length = Int(flags >> 4)
            let negative = flags & 0x08 != 0
            if length == 0 {
                // Zero, or NaN when the sign is set.
                return negative ? nil : Parts(negative: false, significand: 0, exponent: 0)
            }
            guard length <= 4 else { return nil }
            var significand: UInt64 = 0
            for word in stride(from: length - 1, through: 0, by: -1) {
                significand = significand << 16 | UInt64(raw[4 + 2 * word]) | UInt64(raw[5 + 2 * word]) << 8
            }
            return Parts(negative: negative, significand: significand, exponent: Int(Int8(bitPattern: raw[0])))
        }
    }

    /// The compacted decimal (trailing zeros of the significand moved into the exponent, as Foundation
    /// leaves its results), or nil when the exponent is out of `Decimal`'s range.
    private static func make(_ parts: Parts) -> Decimal? {
        var significand = parts.significand
        var exponent = parts.exponent
        if significand == 0 { return Decimal() }
        while significand % 10 == 0, exponent < Int(Int8.max) {
            significand /= 10
            exponent += 1
        }
        guard exponent >= Int(Int8.min), exponent <= Int(Int8.max) else { return nil }
        var length: UInt8 = 0
        var rest = significand
        while rest != 0 {
            length += 1
            rest >>= 16
        }
        var value = Decimal()
        withUnsafeMutableBytes(of: &value) { raw in
            for index in raw.indices { raw[index] = 0 }
            raw[0] = UInt8(bitPattern: Int8(exponent))
            raw[1] = length << 4 | (parts.negative ? 0x08 : 0) | 0x04
            for word in 0..<Int(length) {
                let bits = UInt16(truncatingIfNeeded: significand >> (16 * word))
                raw[4 + 2 * word] = UInt8(truncatingIfNeeded: bits)
                raw[5 + 2 * word] = UInt8(truncatingIfNeeded: bits >> 8)
            }
        }
        return value
    }

    /// Whether `Decimal` is stored as this file reads and writes it: known values read back as Foundation
    /// parses them, and values made here equal, hash and print as Foundation's own.
    static let layoutChecked: Bool = {
        guard MemoryLayout<Decimal>.size == 20 else { return false }
        let samples: [(String, Parts)] = [
            ("0", Parts(negative: false, significand: 0, exponent: 0)),
            ("1", Parts(negative: false, significand: 1, exponent: 0)),
            ("-12.5", Parts(negative: true, significand: 125, exponent: -1)),
            ("8942.03", Parts(negative: false, significand: 894_203, exponent: -2)),
            ("1000", Parts(negative: false, significand: 1, exponent: 3)),
            ("-0.001", Parts(negative: true, significand: 1, exponent: -3)),
            ("65536", Parts(negative: false, significand: 65536, exponent: 0)),
            ("18446744073709551615", Parts(negative: false, significand: UInt64.max, exponent: 0)),
        ]
        for (text, expected) in samples {
            guard let parsed = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
                  unpack(parsed) == expected else { return false }
            guard let made = make(expected), made == parsed,
                  made.hashValue == parsed.hashValue, made.description == parsed.description,
                  unpack(made) == expected else { return false }
            var printed: [UInt8] = []
            append(expected, to: &printed)
            guard String(decoding: printed, as: UTF8.self) == parsed.description else { return false }
        }
        return unpack(Decimal.nan) == nil && unpack(Decimal(string: "123456789012345678901234567890")!) == nil
    }()
}
