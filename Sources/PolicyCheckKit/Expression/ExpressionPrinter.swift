import Foundation

/// Writes an `Expr` back as expression source that `ExpressionParser` reads as the same tree.
///
/// A rule's expression can then be shown after it has been built or rewritten (a normalised
/// `rules show`, a message quoting a sub-expression) without keeping its original text, and
/// the parser can be checked against it. Parentheses appear only where precedence or
/// associativity needs them; strings are single-quoted with CEL's escapes; numbers are written
/// in full decimal digits, which the lexer reads back exactly.
///
/// A tree the parser produced prints back to itself. A tree built by hand may have no spelling
/// of its own: the parser folds `-` applied to a number literal into a negative literal, and a
/// date, list or map literal is written as the call or literal that makes it.
public enum ExpressionPrinter {
    /// The expression source of `expr`.
    public static func source(of expr: Expr) -> String {
        var output = ""
        write(expr, into: &output)
        return output
    }

    /// The expression source of a value: `'text'`, `-1.5`, `date('2022-04-10')`, `[1, 2]`, `{'a': 1}`.
    public static func source(of value: Value) -> String {
        var output = ""
        writeLiteral(value, into: &output)
        return output
    }

    // Binding strength of each form, from the conditional (loosest) to member access and primaries.
    private static let conditionalLevel = 0
    private static let unaryLevel = 6
    private static let memberLevel = 7

    private static func level(of expr: Expr) -> Int {
        switch expr.kind {
        case .conditional: conditionalLevel
        case .binary(let op, _, _): op.precedence
        case .unary: unaryLevel
        case .literal(.number(let n)) where n < 0: unaryLevel
        default: memberLevel
        }
    }

    private static func write(_ expr: Expr, atLeast minimum: Int, into output: inout String) {
        if level(of: expr) < minimum {
            output += "("
            write(expr, into: &output)
            output += ")"
        } else {
            write(expr, into: &output)
        }
    }

    private static func write(_ expr: Expr, into output: inout String) {
        switch expr.kind {
        case .literal(let value):
            writeLiteral(value, into: &output)
        case .identifier(let name):
            output += name
        case let .select(operand, field, isPresenceTest):
            if isPresenceTest { output += "has(" }
            write(operand, atLeast: memberLevel, into: &output)
            output += "." + field
            if isPresenceTest { output += ")" }
        case let .index(operand, index):
            write(operand, atLeast: memberLevel, into: &output)
            output += "["
            write(index, into: &output)
            output += "]"
        case let .call(name, target, arguments):
            if let target {
                write(target, atLeast: memberLevel, into: &output)
                output += "."
            }
            output += name
            writeSequence(arguments, open: "(", close: ")", into: &output)
        case .list(let items):
            writeSequence(items, open: "[", close: "]", into: &output)
        case .map(let entries):
            output += "{"
            for (offset, entry) in entries.enumerated() {
                if offset > 0 { output += ", " }
                write(entry.key, into: &output)
                output += ": "
                write(entry.value, into: &output)
            }
            output += "}"
        case let .unary(op, operand):
            output += op.rawValue
            write(operand, atLeast: unaryLevel, into: &output)
        case let .binary(op, left, right):
            // Left-associative: an operand of the same strength needs parentheses only on the right.
            write(left, atLeast: op.precedence, into: &output)
            output += " \(op.rawValue) "
            write(right, atLeast: op.precedence + 1, into: &output)
        case let .conditional(condition, then, otherwise):
            // Right-associative: only the last arm may itself be a bare conditional.
            write(condition, atLeast: conditionalLevel + 1, into: &output)
            output += " ? "
            write(then, atLeast: conditionalLevel + 1, into: &output)
            output += " : "
            write(otherwise, into: &output)
        }
    }

    private static func writeSequence(_ items: [Expr], open: String, close: String, into output: inout String) {
        output += open
        for (offset, item) in items.enumerated() {
            if offset > 0 { output += ", " }
            write(item, into: &output)
        }
        output += close
    }

    private static func writeLiteral(_ value: Value, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let b): output += b ? "true" : "false"
        case .number(let n): output += "\(n)"
        case .string(let s): writeString(s, into: &output)
        case .date(let d):
            output += "date("
            writeString(d.description, into: &output)
            output += ")"
        case .list(let items):
            output += "["
            for (offset, item) in items.enumerated() {
                if offset > 0 { output += ", " }
                writeLiteral(item, into: &output)
            }
            output += "]"
        case .map(let map):
            writePairs(map.pairs.map { ($0.key, $0.value) }, into: &output)
        case .object(let object):
            writePairs(zip(object.shape.fieldNames, object.fields).filter { !$0.1.isNull }.map { (.string($0.0), $0.1) },
                       into: &output)
        }
    }

    private static func writePairs(_ pairs: [(Value, Value)], into output: inout String) {
        output += "{"
        for (offset, pair) in pairs.enumerated() {
            if offset > 0 { output += ", " }
            writeLiteral(pair.0, into: &output)
            output += ": "
            writeLiteral(pair.1, into: &output)
        }
        output += "}"
    }

    private static let escapes: [Unicode.Scalar: String] = ["\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"]

    /// Single-quoted; characters that would end the string or that a reader cannot see are escaped.
    private static func writeString(_ text: String, into output: inout String) {
        output += "'"
        for scalar in text.unicodeScalars {
            if let escape = escapes[scalar] {
                output += escape
            } else if isInvisible(scalar) {
                output += scalar.value <= 0xFF ? "\\x" + hex(scalar.value, digits: 2)
                    : scalar.value <= 0xFFFF ? "\\u" + hex(scalar.value, digits: 4)
                    : "\\U" + hex(scalar.value, digits: 8)
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        output += "'"
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
