import Foundation

/// One block of a CSV file, split into rows, as the workers check it while the next is read.
struct CSVBlock {
    let bytes: [UInt8]
    /// The offset just past each row; the first `firstRow` rows (the header) are not records.
    let ends: [Int]
    let firstRow: Int
    /// The file's row number of the row before the block's first record.
    let rowBase: Int
    /// Whether the block holds a NUL or a byte-order mark, so its rows must be searched for them.
    let hasSuspectBytes: Bool
    let file: String
    let binder: TableBinder

    var rowCount: Int { ends.count - firstRow }
}

/// Reads a CSV file a block at a time and splits each block into whole rows; a row cut by the block's end is
/// carried into the next. Problems found while reading (a quote never closed, a row over `row-bytes`, a
/// failed read) come with the block they follow, to be reported after its rows.
///
/// Used by one thread at a time.
final class CSVBlockReader {
    /// A block of rows (nil before the header is found, or when none was read) and what was found after its rows.
    struct Read {
        var block: CSVBlock?
        var after: [Diagnostic]
    }

    let file: String
    private let reader: FileByteReader
    private let blockBytes: Int
    private let limits: ResourceLimits
    private let carriageReturns: Bool
    private var buffer: [UInt8]
    private var atEnd: Bool
    /// Bytes read from the file so far, and of them those already split into rows.
    private(set) var bytesRead: Int
    var bytesSplit: Int { bytesRead - buffer.count }
    /// The file's row number of the last row split off (the header is row 1).
    private(set) var rowNumber = 0
    private(set) var binder: TableBinder?
    /// Set once nothing more will be read: the file's end, a failed read, or a header that could not be bound.
    private var isDone = false
    /// Whether the file was read to its end (not stopped by a problem).
    private(set) var reachedEnd = false

    var totalBytes: Int { reader.size }

    /// The storage of blocks whose rows are all checked, for the next blocks to be read into. A new buffer per
    /// block, freed on whichever thread checked its last row, was kept by the allocator in that thread's
    /// arena: peak memory grew with the rows on two threads, and each new buffer's pages were touched afresh.
    private let spare = SpareBuffers()

    /// Gives back the storage of a block whose rows are all checked; any thread may call it.
    func recycle(_ bytes: [UInt8]) { spare.put(bytes) }

    /// `buffer`: what has been read of the file already (the whole of it when `atEnd`), with any byte-order
    /// mark removed and lone carriage returns already replaced.
    init(file: String, reader: FileByteReader, buffer: [UInt8], atEnd: Bool, carriageReturns: Bool, blockBytes: Int,
         limits: ResourceLimits) {
        self.file = file
        self.reader = reader
        self.buffer = buffer
        self.atEnd = atEnd
        self.carriageReturns = carriageReturns
        self.blockBytes = blockBytes
        self.limits = limits
        bytesRead = buffer.count
    }

    /// The next block of rows and what was found after them; nil once the file is done. Until the header
    /// has been found, blocks are read on until it is, and `bindHeader` makes the binder from the bytes and
    /// the header row's end (nil: the file cannot be read as a table, and reading stops).
    func next(bindHeader: ([UInt8], Int) -> TableBinder?) -> Read? {
        if isDone { return nil }
        var after: [Diagnostic] = []
        while true {
            if !atEnd {
                let got = reader.read(into: &buffer, count: blockBytes)
                if got < 0 {
                    after.append(.error(.fileUnreadable, "cannot read `\(file)` past byte \(bytesRead)", at: nil))
                    isDone = true
                    return Read(block: nil, after: after)
                }
                bytesRead += got
                atEnd = got == 0
                if carriageReturns { InputScreen.replaceCarriageReturns(in: &buffer, from: buffer.count - got) }
            }
            var ends: [Int] = []
            let (consumed, openQuote) = buffer.withUnsafeBytes { CSVScanner.rowEnds($0, from: 0, isFinal: atEnd, into: &ends) }
            var firstRow = 0
            if binder == nil, let headerEnd = ends.first {
                rowNumber = 1
                guard let bound = bindHeader(buffer, headerEnd) else {
                    isDone = true
                    return nil
                }
                binder = bound
                firstRow = 1
            }
            var block: CSVBlock?
            if let binder {
                let suspect = buffer.withUnsafeBytes { InputScreen.hasSuspectBytes($0) }
                let made = CSVBlock(bytes: buffer, ends: ends, firstRow: firstRow, rowBase: rowNumber, hasSuspectBytes: suspect,
                                    file: file, binder: binder)
                rowNumber += made.rowCount
                block = made
            }
            if let openQuote {
                after.append(.error(.fieldType, "a quote opened at byte \(bytesRead - buffer.count + openQuote) is never closed; the rest of the file could not be read",
                                    at: SourceLocation(file: file, line: rowNumber + 1, column: 1),
                                    help: "a quote inside a quoted value is written twice: \"\""))
            }
            // Other storage for the rest: the block's rows are still being checked in this one.
            var rest = spare.take() ?? []
            rest.removeAll(keepingCapacity: true)
            rest.reserveCapacity(buffer.count - consumed + (atEnd ? 0 : blockBytes))
            rest.append(contentsOf: buffer[consumed...])
            buffer = rest
            if !atEnd, buffer.count > limits.rowBytes {
                // The row being read is already too long: report it, and read on from its end without keeping it.
                let binder = self.binder
                after.append(buffer.withUnsafeBytes { bytes in
                    InputScreen.overlongRow(bytes, start: 0, limit: limits.rowBytes, row: rowNumber + 1, file: file) {
                        InputScreen.header(of: binder, $0)
                    }
                })
                guard binder != nil, let (rest, end) = InputScreen.skipRow(startingWith: buffer, reader: reader, blockBytes: blockBytes,
                                                                          quoted: true, carriageReturns: carriageReturns,
                                                                          bytesRead: &bytesRead) else {
                    isDone = true
                    return Read(block: block, after: after)
                }
                buffer = rest
                atEnd = end
                rowNumber += 1
            }
            if atEnd {
                isDone = true
                reachedEnd = true
            }
            if block != nil || isDone { return Read(block: block, after: after) }
        }
    }
}

/// Byte buffers handed between threads: put by the thread that finished with one, taken by the reader.
private final class SpareBuffers: @unchecked Sendable {
    private let lock = NSLock()
    private var buffers: [[UInt8]] = []
    /// More than the blocks a pipeline holds at once are not worth keeping.
    private let limit = 4

    func put(_ bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        if buffers.count < limit { buffers.append(bytes) }
    }

    func take() -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        return buffers.popLast()
    }
}
