/// Parses an expression with CEL's grammar and precedence into an `Expr` tree.
///
/// Nesting is bounded (`maxDepth`) so a hostile expression is an error, not a stack overflow.
public struct ExpressionParser {
    private var tokens: [Token]
    private var position = 0
    private var depth = 0
    private let maxDepth: Int

    static func parse(_ text: String, maxDepth: Int = 200) throws(ExpressionProblem) -> Expr {
        var parser = ExpressionParser(tokens: try Lexer.tokens(of: text), maxDepth: maxDepth)
        let expr = try parser.expression()
        guard case .end = parser.current.kind else {
            throw ExpressionProblem("unexpected `\(parser.current.text)` after the end of the expression",
                                    at: parser.current.start)
        }
        return expr
    }

    private init(tokens: [Token], maxDepth: Int) {
        self.tokens = tokens
        self.maxDepth = maxDepth
    }

    private var current: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isPunctuation(_ text: String) -> Bool {
        if case .punctuation(let p) = current.kind { return p == text }
        return false
    }

    private mutating func expect(_ text: String, context: String) throws(ExpressionProblem) -> Token {
        guard isPunctuation(text) else {
            throw ExpressionProblem("expected `\(text)` \(context), found `\(current.text)`", at: current.start)
        }
        return advance()
    }

    private mutating func enter() throws(ExpressionProblem) {
        depth += 1
        if depth > maxDepth {
            throw ExpressionProblem("expression nests deeper than \(maxDepth) levels", at: current.start)
        }
    }

    /// A chain (`a + b + …`, `x[0][0]…`, `s.trim().trim()…`) deepens the tree without recursing here;
    /// its height is bounded as nesting is, because planning and evaluation do recurse.
    private func bounded(_ expr: Expr, at offset: Int) throws(ExpressionProblem) -> Expr {
        guard expr.height <= maxDepth else {
            throw ExpressionProblem("expression nests deeper than \(maxDepth) levels", at: offset)
        }
        return expr
    }

    // Expr = ConditionalOr ["?" ConditionalOr ":" Expr]
    private mutating func expression() throws(ExpressionProblem) -> Expr {
        try enter()
        defer { depth -= 1 }
        let condition = try binary(minimumPrecedence: 1)
        guard isPunctuation("?") else { return condition }
        _ = advance()
        let then = try binary(minimumPrecedence: 1)
        _ = try expect(":", context: "in a conditional `a ? b : c`")
        let otherwise = try expression()
        return Expr(.conditional(condition, then, otherwise), start: condition.start, end: otherwise.end)
    }

    private func binaryOperator() -> BinaryOperator? {
        switch current.kind {
        case .punctuation(let p): BinaryOperator(rawValue: p)
        case .keyword("in"): .in
        default: nil
        }
    }

    /// Precedence climbing; every binary operator of CEL is left-associative.
    private mutating func binary(minimumPrecedence: Int) throws(ExpressionProblem) -> Expr {
        var left = try unary()
        while let op = binaryOperator(), op.precedence >= minimumPrecedence {
            let operatorStart = advance().start
            try enter()
            let right = try binary(minimumPrecedence: op.precedence + 1)
            depth -= 1
            left = try bounded(Expr(.binary(op, left, right), start: left.start, end: right.end), at: operatorStart)
        }
        return left
    }

    private mutating func unary() throws(ExpressionProblem) -> Expr {
        if isPunctuation("!") || isPunctuation("-") {
            let token = advance()
            try enter()
            defer { depth -= 1 }
            let operand = try unary()
            let op: UnaryOperator = token.text == "!" ? .not : .negate
            if op == .negate, case .literal(.number(let n)) = operand.kind {
                return Expr(.literal(.number(-n)), start: token.start, end: operand.end)
            }
            return Expr(.unary(op, operand), start: token.start, end: operand.end)
        }
        return try member()
    }

    private mutating func member() throws(ExpressionProblem) -> Expr {
        var expr = try primary()
        while true {
            let chainStart = current.start
            if isPunctuation(".") {
                _ = advance()
                guard case .identifier(let name) = current.kind else {
                    throw ExpressionProblem("expected a field name after `.`, found `\(current.text)`", at: current.start)
                }
                let nameToken = advance()
                if isPunctuation("(") {
                    let (arguments, end) = try argumentList()
                    expr = try bounded(Expr(.call(name, target: expr, arguments), start: expr.start, end: end), at: chainStart)
                } else {
                    expr = try bounded(Expr(.select(expr, name, isPresenceTest: false), start: expr.start, end: nameToken.end),
                                       at: chainStart)
                }
            } else if isPunctuation("[") {
                _ = advance()
                let index = try expression()
                let close = try expect("]", context: "to close the index")
                expr = try bounded(Expr(.index(expr, index), start: expr.start, end: close.end), at: chainStart)
            } else {
                return expr
            }
        }
    }

    private mutating func argumentList() throws(ExpressionProblem) -> ([Expr], Int) {
        _ = try expect("(", context: "to open the arguments")
        var arguments: [Expr] = []
        if !isPunctuation(")") {
            repeat {
                if !arguments.isEmpty { _ = advance() }
                arguments.append(try expression())
            } while isPunctuation(",")
        }
        let close = try expect(")", context: "to close the arguments")
        return (arguments, close.end)
    }

    private mutating func primary() throws(ExpressionProblem) -> Expr {
        try enter()
        defer { depth -= 1 }
        let token = current
        switch token.kind {
        case .number(let value):
            _ = advance()
            return Expr(.literal(.number(value)), start: token.start, end: token.end)
        case .string(let value):
            _ = advance()
            return Expr(.literal(.string(value)), start: token.start, end: token.end)
        case .keyword("true"), .keyword("false"):
            _ = advance()
            return Expr(.literal(.bool(token.text == "true")), start: token.start, end: token.end)
        case .keyword("null"):
            _ = advance()
            return Expr(.literal(.null), start: token.start, end: token.end)
        case .identifier(let name):
            _ = advance()
            if isPunctuation("(") {
                let (arguments, end) = try argumentList()
                if name == "has", arguments.count == 1, case .identifier = arguments[0].kind {
                    // `has(field)` of a record's top-level field: a policycheck extension.
                    return Expr(.call("has", target: nil, arguments), start: token.start, end: end)
                }
                if name == "has" {
                    guard arguments.count == 1, case .select(let operand, let field, _) = arguments[0].kind else {
                        throw ExpressionProblem("`has()` takes one field selection such as `has(a.b)`", at: token.start)
                    }
                    return Expr(.select(operand, field, isPresenceTest: true), start: token.start, end: end)
                }
                return Expr(.call(name, target: nil, arguments), start: token.start, end: end)
            }
            return Expr(.identifier(name), start: token.start, end: token.end)
        case .punctuation("."):
            _ = advance()
            return try primary()
        case .punctuation("("):
            _ = advance()
            let inner = try expression()
            _ = try expect(")", context: "to close `(`")
            return inner
        case .punctuation("["):
            _ = advance()
            var items: [Expr] = []
            while !isPunctuation("]") {
                items.append(try expression())
                if isPunctuation(",") { _ = advance() } else { break }
            }
            let close = try expect("]", context: "to close the list")
            return Expr(.list(items), start: token.start, end: close.end)
        case .punctuation("{"):
            _ = advance()
            var entries: [Expr.MapEntry] = []
            while !isPunctuation("}") {
                let key = try expression()
                _ = try expect(":", context: "between a map key and its value")
                let value = try expression()
                entries.append(Expr.MapEntry(key: key, value: value))
                if isPunctuation(",") { _ = advance() } else { break }
            }
            let close = try expect("}", context: "to close the map")
            return Expr(.map(entries), start: token.start, end: close.end)
        case .end:
            throw ExpressionProblem("the expression ends too early", at: token.start)
        default:
            throw ExpressionProblem("unexpected `\(token.text)`", at: token.start)
        }
    }
}
