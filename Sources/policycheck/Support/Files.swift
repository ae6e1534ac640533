import Foundation
import PolicyCheckKit

/// Reading inputs and writing outputs for the commands.
enum Files {
    /// A file's text, or a diagnostic saying why it could not be read: a file over `limit` bytes is not
    /// read at all, and one that is not UTF-8 is reported at its first bad byte.
    static func text(at path: String, limit: Int = ResourceLimits().fileBytes) -> Result<String, Diagnostic> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(.error(.fileNotFound, "no such file `\(path)`", at: nil))
        }
        if isDirectory.boolValue {
            return .failure(.error(.isDirectory, "`\(path)` is a directory, not a record file", at: nil,
                                   help: "pass the files, e.g. `\(path.hasSuffix("/") ? path : path + "/")*.yaml`"))
        }
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > limit {
            return .failure(ResourceLimits.fileTooLarge(path, size: size, limit: limit, why: "a record file is read whole"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(.error(.fileUnreadable, "cannot read `\(path)`", at: nil))
        }
        // Drops a byte-order mark; the first invalid byte is reported at its line and column.
        return data.withUnsafeBytes { TextDecoding.decodeDocument($0, file: path) }
    }

    /// Writes all of `bytes` to an open descriptor, again after an interrupted call.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                offset += written
            }
        }
    }

    /// Writes `text` whole or not at all: to a temporary file beside `path`, then renamed over it.
    static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(to: path) { write in try write(Array(text.utf8)) }
    }

    /// Writes what `produce` hands over, piece by piece, whole or not at all: into a temporary file
    /// beside `path`, renamed over it only once everything is written and flushed to disk.
    static func writeAtomically(to path: String, _ produce: (([UInt8]) throws -> Void) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array((folder + "/." + url.lastPathComponent + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var finished = false
        defer {
            if !finished {
                close(descriptor)
                unlink(temporary)
            }
        }
        try produce { bytes in try writeAll(bytes, to: descriptor) }
        // As Data's atomic write leaves it: readable by others as umask allows, not mkstemp's 0600.
        let mask = umask(0)
        umask(mask)
        fchmod(descriptor, 0o666 & ~mask)
        guard fsync(descriptor) == 0, close(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        finished = true
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    /// Renders diagnostics with their source lines, reading files on demand.
    static func renderer(colored: Bool, sources: [String: String] = [:]) -> DiagnosticRenderer {
        DiagnosticRenderer(colored: colored, lineReader: sourceLines) { sources[$0] }
    }

    /// One reader for the run: the files of its diagnostics are each read once, forward, never whole.
    private static let sourceLines = SourceLineReader()
}
