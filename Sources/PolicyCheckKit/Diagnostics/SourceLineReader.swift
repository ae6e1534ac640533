#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Finds single lines of files on disk for diagnostics, without holding the files: a file is read
/// forward in blocks from the last line found, so diagnostics in file order cost one pass over it,
/// whatever its size. Lines end at LF, CRLF or a lone CR.
public final class SourceLineReader: @unchecked Sendable {
    /// Longer lines are not shown: a caret under column 3 of a megabyte line helps nobody.
    public static let maxLineBytes = 4096
    private static let blockBytes = 1 << 16

    private final class Cursor {
        let descriptor: Int32
        /// The line that starts at `offset`.
        var line = 1
        var offset = 0

        init(descriptor: Int32) { self.descriptor = descriptor }
        deinit { close(descriptor) }
    }

    // Every use of `cursors` is under `lock`; the class is shared by the renderers of one run.
    private let lock = NSLock()
    private var cursors: [String: Cursor] = [:]

    public init() {}

    /// Line `number` (1-based) of `file` without its line end; nil when the file cannot be read, is shorter,
    /// or the line is longer than `maxLineBytes`.
    public func line(_ number: Int, of file: String) -> String? {
        guard number >= 1 else { return nil }
        lock.lock()
        defer { lock.unlock() }
        let cursor: Cursor
        if let open = cursors[file] {
            cursor = open
        } else {
            let descriptor = open(file, O_RDONLY)
            guard descriptor >= 0 else { return nil }
            cursor = Cursor(descriptor: descriptor)
            cursors[file] = cursor
        }
        if number < cursor.line {
            cursor.line = 1
            cursor.offset = 0
        }
        return read(line: number, with: cursor)
    }

    private func read(line number: Int, with cursor: Cursor) -> String? {
        var block = [UInt8](repeating: 0, count: Self.blockBytes)
        var collected: [UInt8] = []
        var collecting = cursor.line == number
        var tooLong = false
        var afterCarriageReturn = false
        var position = cursor.offset
        while true {
            let got = block.withUnsafeMutableBytes { pread(cursor.descriptor, $0.baseAddress, Self.blockBytes, off_t(position)) }
            if got < 0, errno == EINTR { continue }
            if got <= 0 {
                // The last line may have no line end; after a final line end, the empty line there is where a
                // parser reports what the file ends without.
                return collecting && !tooLong ? String(decoding: collected, as: UTF8.self) : nil
            }
            for index in 0..<got {
                let byte = block[index]
                if afterCarriageReturn {
                    afterCarriageReturn = false
                    if byte == 0x0A {
                        cursor.offset += 1  // the LF of a CRLF, perhaps the first byte of a block
                        continue
                    }
                }
                if byte == 0x0A || byte == 0x0D {
                    if collecting {
                        return tooLong ? nil : String(decoding: collected, as: UTF8.self)
                    }
                    afterCarriageReturn = byte == 0x0D
                    cursor.line += 1
                    cursor.offset = position + index + 1
                    collecting = cursor.line == number
                    continue
                }
                if collecting {
                    if collected.count < Self.maxLineBytes { collected.append(byte) } else { tooLong = true }
                }
            }
            position += got
        }
    }
}
