import Foundation
import Yams

/// Reads YAML text into located nodes, turning libyaml's errors into located diagnostics.
///
/// Aliases are expanded; the expansion is bounded (`limits.maxNodes`) so an alias bomb is an
/// error, not an exhausted machine. JSON is read by the same parser: it is YAML's flow style.
public struct YAMLSource: Sendable {
    public struct Limits: Sendable {
        public var maxNodes: Int
        public var maxDepth: Int
        public init(maxNodes: Int = 2_000_000, maxDepth: Int = 512) {
            self.maxNodes = maxNodes
            self.maxDepth = maxDepth
        }
    }

    public var file: String
    public var text: String
    public var limits: Limits

    public init(file: String, text: String, limits: Limits = Limits()) {
        self.file = file
        self.text = text
        self.limits = limits
    }

    /// Every document of the stream, or the first error met.
    public func documents() -> Result<[LocatedNode], Diagnostic> {
        if let problem = prescanProblem() { return .failure(problem) }
        do {
            let parser = try Parser(yaml: text, resolver: .basic, encoding: .utf8)
            var nodes: [LocatedNode] = []
            var budget = limits.maxNodes
            while let root = try parser.nextRoot() {
                nodes.append(try convert(root, budget: &budget, depth: 0))
            }
            return .success(nodes)
        } catch let diagnostic as Diagnostic {
            return .failure(diagnostic)
        } catch let error as YamlError {
            return .failure(diagnostic(for: error))
        } catch {
            return .failure(.error(.yamlSyntax, "\(error)", at: SourceLocation(file: file, line: 1, column: 1)))
        }
    }

    /// libyaml and the node tree recurse per nesting level; refuse absurd nesting before parsing. A NUL or a
    /// byte-order mark past the start is refused here too, where its line and column are known.
    private func prescanProblem() -> Diagnostic? {
        var depth = 0
        var line = 1
        var column = 1
        var inQuote: UInt8? = nil
        var offset = -1
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            offset += 1
            defer { previous = (previous.1, byte) }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
                continue
            }
            if (byte & 0xC0) != 0x80 { column += 1 }
            if byte == 0 {
                return .error(.yamlSyntax, "a NUL byte (U+0000)", at: SourceLocation(file: file, line: line, column: column - 1),
                              help: InputScreen.advice(for: 0))
            }
            if byte == 0xBF, previous == (0xEF, 0xBB), offset > 2 {
                return .error(.yamlSyntax, "a byte-order mark (U+FEFF) in the middle of the file",
                              at: SourceLocation(file: file, line: line, column: column - 1), help: InputScreen.advice(for: 0xEF))
            }
            if let quote = inQuote {
                if byte == quote { inQuote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limits.maxDepth {
                    return .error(.inputTooLarge, "nesting deeper than \(limits.maxDepth) levels",
                                  at: SourceLocation(file: file, line: line, column: column - 1))
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "\""):
                inQuote = byte
            default:
                break
            }
        }
        return nil
    }

    private func convert(_ node: Node, budget: inout Int, depth: Int) throws -> LocatedNode {
        budget -= 1
        let location = self.location(node.mark)
        if budget < 0 {
            throw Diagnostic.error(.inputTooLarge,
                                   "document expands to more than \(limits.maxNodes) nodes (through aliases?)",
                                   at: location)
        }
        if depth > limits.maxDepth {
            throw Diagnostic.error(.inputTooLarge, "nesting deeper than \(limits.maxDepth) levels", at: location)
        }
        switch node {
        case .scalar(let scalar):
            return .scalar(LocatedScalar(text: scalar.string, style: style(scalar.style), location: location))
        case .sequence(let sequence):
            return .sequence(try sequence.map { try convert($0, budget: &budget, depth: depth + 1) }, location)
        case .mapping(let mapping):
            var pairs: [(key: LocatedScalar, value: LocatedNode)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Diagnostic.error(.wrongKind, "a mapping key must be a plain name, found a complex key",
                                           at: self.location(key.mark))
                }
                let converted = try convert(value, budget: &budget, depth: depth + 1)
                pairs.append((LocatedScalar(text: keyScalar.string, style: style(keyScalar.style),
                                            location: self.location(key.mark)), converted))
            }
            return .mapping(pairs, location)
        case .alias:
            return .scalar(LocatedScalar(text: "", style: .plain, location: location))
        }
    }

    private func style(_ style: Node.Scalar.Style) -> LocatedScalar.Style {
        switch style {
        case .plain, .any: .plain
        case .singleQuoted, .doubleQuoted: .quoted
        case .literal, .folded: .block
        }
    }

    /// The line and column of libyaml's reader offset, which counts characters (Unicode scalars).
    private func location(ofCharacter offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars.prefix(offset) {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    private func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private func diagnostic(for error: YamlError) -> Diagnostic {
        switch error {
        case let .parser(_, problem, mark, _) where problem.hasPrefix("Maximum nesting level reached"):
            // libyaml's own bound on block nesting, met before ours is checked.
            return .error(.inputTooLarge, "nesting deeper than \(limits.maxDepth) levels", at: location(mark))
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return .error(.yamlSyntax, what.isEmpty ? "invalid YAML" : what, at: location(mark))
        case let .reader(problem, offset, _, _):
            return .error(.yamlSyntax, problem, at: offset.map(location(ofCharacter:)) ?? SourceLocation(file: file, line: 1, column: 1))
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return .error(.duplicateKey, "duplicate key \(keys) in one mapping", at: location(context.mark))
        default:
            return .error(.yamlSyntax, "\(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
