import Foundation

/// JSON files are read through the YAML parser (JSON is YAML's flow style) to keep every value's
/// location; YAML accepts more than JSON (`{"id": }`), so a `.json` file is first checked as strict JSON.
enum JSONSyntaxCheck {
    static func problem(in text: String, file: String) -> Diagnostic? {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            return nil
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "invalid JSON"
            return .error(.jsonSyntax, detail.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")),
                          at: location(of: detail, in: text, file: file))
        }
    }

    /// Foundation reports "around character N" (an offset into the UTF-8 bytes); turn it into a line and column.
    private static func location(of detail: String, in text: String, file: String) -> SourceLocation {
        guard let range = detail.range(of: "character "),
              let offset = Int(detail[range.upperBound...].prefix { $0.isNumber }) else {
            return SourceLocation(file: file, line: 1, column: 1)
        }
        var line = 1
        var column = 1
        var consumed = 0
        for scalar in text.unicodeScalars {
            if consumed >= offset { break }
            consumed += String(scalar).utf8.count
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
