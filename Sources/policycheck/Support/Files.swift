import Foundation
import PolicyCheckKit

/// Reading inputs and writing outputs for the commands.
enum Files {
    /// A file's text, or a diagnostic saying why it could not be read.
    static func text(at path: String) -> Result<String, Diagnostic> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(.error(.fileNotFound, "no such file `\(path)`", at: nil))
        }
        if isDirectory.boolValue {
            return .failure(.error(.isDirectory, "`\(path)` is a directory, not a record file", at: nil,
                                   help: "pass the files, e.g. `\(path.hasSuffix("/") ? path : path + "/")*.yaml`"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(.error(.fileUnreadable, "cannot read `\(path)`", at: nil))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(.error(.fileUnreadable, "`\(path)` is not UTF-8 text", at: SourceLocation(file: path, line: 1, column: 1)))
        }
        return .success(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
    }

    /// Writes `text` whole or not at all: to a temporary file beside `path`, then renamed over it.
    static func writeAtomically(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// Renders diagnostics with their source lines, reading files on demand.
    static func renderer(colored: Bool, sources: [String: String] = [:]) -> DiagnosticRenderer {
        DiagnosticRenderer(colored: colored) { file in
            if let text = sources[file] { return text }
            guard let data = FileManager.default.contents(atPath: file), data.count < 50_000_000 else { return nil }
            return String(data: data, encoding: .utf8)
        }
    }
}
