#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file block by block, so a batch of any size is read in constant memory.
/// Opens the file read-only: an input is never opened for writing.
final class FileByteReader {
    private let descriptor: Int32
    let size: Int
    private var block: [UInt8] = []

    init?(path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// Appends up to `count` bytes to `buffer`; returns how many were read (0 at the end of the file), or -1 on error.
    func read(into buffer: inout [UInt8], count: Int) -> Int {
        if block.count < count { block = Array(repeating: 0, count: count) }
        var total = 0
        while total < count {
            let got = block.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                #if canImport(Glibc)
                return Glibc.read(descriptor, base + total, count - total)
                #else
                return Darwin.read(descriptor, base + total, count - total)
                #endif
            }
            if got < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if got == 0 { break }
            total += got
        }
        buffer.append(contentsOf: block[0..<total])
        return total
    }
}
