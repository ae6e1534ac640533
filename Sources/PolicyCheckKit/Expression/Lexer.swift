import Foundation

/// Splits an expression into tokens following CEL's lexical grammar.
///
/// Numbers are read as exact decimals whatever their CEL spelling (`1`, `1u`, `1.5`, `1e3`, `0x1F`).
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
        "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func tokens(of text: String) throws(ExpressionProblem) -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        position + ahead < scalars.count ? scalars[position + ahead] : nil
    }

    mutating func next() throws(ExpressionProblem) -> Token {
        skipSpaceAndComments()
        let start = position
        guard let c = peek() else { return Token(kind: .end, start: start, end: start) }

        if c == "." , let d = peek(1), d.isDigit { return try number(start: start) }
        if c.isDigit { return try number(start: start) }
        if c == "\"" || c == "'" { return try string(start: start, raw: false) }
        if (c == "r" || c == "R"), let q = peek(1), q == "\"" || q == "'" {
            position += 1
            return try string(start: start, raw: true)
        }
        if (c == "b" || c == "B"), let q = peek(1), q == "\"" || q == "'" {
            throw ExpressionProblem("bytes literals are not supported", at: start)
        }
        if c.isIdentifierStart {
            var name = ""
            while let s = peek(), s.isIdentifierPart {
                name.unicodeScalars.append(s)
                position += 1
            }
            if ["true", "false", "null", "in"].contains(name) {
                return Token(kind: .keyword(name), start: start, end: position)
            }
            if Lexer.reserved.contains(name) {
                throw ExpressionProblem("`\(name)` is a reserved word", at: start)
            }
            return Token(kind: .identifier(name), start: start, end: position)
        }
        let two = peek(1).map { String(c) + String($0) } ?? ""
        if ["<=", ">=", "==", "!=", "&&", "||"].contains(two) {
            position += 2
            return Token(kind: .punctuation(two), start: start, end: position)
        }
        if "!-*/%+<>?:.,[](){}".unicodeScalars.contains(c) {
            position += 1
            return Token(kind: .punctuation(String(c)), start: start, end: position)
        }
        if c == "=" {
            throw ExpressionProblem("unexpected `=`", at: start, help: "compare with `==`")
        }
        if c == "&" || c == "|" {
            throw ExpressionProblem("unexpected `\(c)`", at: start, help: "use `\(c)\(c)`")
        }
        throw ExpressionProblem("unexpected character `\(c)`", at: start)
    }

    private mutating func skipSpaceAndComments() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{3000}" || c == "\u{0C}" {
                position += 1
            } else if c == "/", peek(1) == "/" {
                while let d = peek(), d != "\n" { position += 1 }
            } else {
                return
            }
        }
    }

    private mutating func number(start: Int) throws(ExpressionProblem) -> Token {
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            position += 2
            var digits = ""
            while let d = peek(), d.properties.isASCIIHexDigit {
                digits.unicodeScalars.append(d)
                position += 1
            }
            guard !digits.isEmpty, let value = UInt64(digits, radix: 16) else {
                throw ExpressionProblem("malformed hexadecimal number", at: start)
            }
            if peek() == "u" || peek() == "U" { position += 1 }
            return Token(kind: .number(Decimal(value)), start: start, end: position)
        }
        var text = ""
        while let d = peek(), d.isDigit {
            text.unicodeScalars.append(d)
            position += 1
        }
        if peek() == ".", let d = peek(1), d.isDigit {
            text += "."
            position += 1
            while let d = peek(), d.isDigit {
                text.unicodeScalars.append(d)
                position += 1
            }
        }
        if let e = peek(), e == "e" || e == "E" {
            var lookahead = 1
            if let sign = peek(1), sign == "+" || sign == "-" { lookahead = 2 }
            if let d = peek(lookahead), d.isDigit {
                text += "e"
                if lookahead == 2, let sign = peek(1) { text.unicodeScalars.append(sign) }
                position += lookahead
                while let d = peek(), d.isDigit {
                    text.unicodeScalars.append(d)
                    position += 1
                }
            }
        }
        if peek() == "u" || peek() == "U" { position += 1 }
        if let c = peek(), c.isIdentifierStart {
            throw ExpressionProblem("malformed number", at: start)
        }
        if text.hasPrefix(".") { text = "0" + text }
        guard let value = Decimal(string: text, locale: NumberParser.posix) else {
            throw ExpressionProblem("malformed number `\(text)`", at: start)
        }
        return Token(kind: .number(value), start: start, end: position)
    }

    private mutating func string(start: Int, raw: Bool) throws(ExpressionProblem) -> Token {
        guard let quote = peek() else { throw ExpressionProblem("unterminated string", at: start) }
        let triple = peek(1) == quote && peek(2) == quote
        position += triple ? 3 : 1
        var value = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw ExpressionProblem("unterminated string", at: start) }
            if triple {
                if c == quote, peek(1) == quote, peek(2) == quote {
                    position += 3
                    break
                }
            } else if c == quote {
                position += 1
                break
            } else if c == "\n" || c == "\r" {
                throw ExpressionProblem("unterminated string", at: start, help: "use a triple-quoted string for text over several lines")
            }
            if c == "\\", !raw {
                value.append(contentsOf: try escape())
            } else {
                value.append(c)
                position += 1
            }
        }
        return Token(kind: .string(String(value)), start: start, end: position)
    }

    private mutating func escape() throws(ExpressionProblem) -> [Unicode.Scalar] {
        let start = position
        position += 1
        guard let c = peek() else { throw ExpressionProblem("unterminated escape", at: start) }
        position += 1
        switch c {
        case "a": return ["\u{07}"]
        case "b": return ["\u{08}"]
        case "f": return ["\u{0C}"]
        case "n": return ["\n"]
        case "r": return ["\r"]
        case "t": return ["\t"]
        case "v": return ["\u{0B}"]
        case "\\", "'", "\"", "`", "?": return [c]
        case "x", "X": return [try hexScalar(count: 2, start: start)]
        case "u": return [try hexScalar(count: 4, start: start)]
        case "U": return [try hexScalar(count: 8, start: start)]
        case "0"..."3":
            var value = c.value - 48
            for _ in 0..<2 {
                guard let d = peek(), ("0"..."7").contains(d) else {
                    throw ExpressionProblem("octal escape needs three digits", at: start)
                }
                value = value * 8 + (d.value - 48)
                position += 1
            }
            guard let scalar = Unicode.Scalar(value) else { throw ExpressionProblem("invalid escape", at: start) }
            return [scalar]
        default:
            throw ExpressionProblem("invalid escape `\\\(c)`", at: start)
        }
    }

    private mutating func hexScalar(count: Int, start: Int) throws(ExpressionProblem) -> Unicode.Scalar {
        var digits = ""
        for _ in 0..<count {
            guard let d = peek(), d.properties.isASCIIHexDigit else {
                throw ExpressionProblem("escape needs \(count) hexadecimal digits", at: start)
            }
            digits.unicodeScalars.append(d)
            position += 1
        }
        guard let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
            throw ExpressionProblem("escape is not a Unicode scalar value", at: start)
        }
        return scalar
    }
}

extension Unicode.Scalar {
    var isDigit: Bool { ("0"..."9").contains(self) }
    var isIdentifierStart: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_" }
    var isIdentifierPart: Bool { isIdentifierStart || isDigit }
}
