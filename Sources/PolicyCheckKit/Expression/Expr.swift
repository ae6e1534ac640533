/// The syntax tree of an expression. Offsets are Unicode-scalar offsets into the expression's text.
public struct Expr: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case literal(Value)
        case identifier(String)
        /// `operand.field`; `isPresenceTest` for the argument of `has()`.
        case select(Expr, String, isPresenceTest: Bool)
        case index(Expr, Expr)
        /// `function(args)` or `target.function(args)`; macros are calls too until planning.
        case call(String, target: Expr?, [Expr])
        case list([Expr])
        case map([MapEntry])
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        case conditional(Expr, Expr, Expr)
    }

    public struct MapEntry: Sendable, Hashable {
        public var key: Expr
        public var value: Expr
    }

    public let kind: Kind
    public var start: Int
    public var end: Int
    /// The levels of the tree from this node down: planning and evaluation recurse this deep, so the
    /// parser bounds it, however the nesting was written (`((…))`, `a + b + …`, `x[0][0]…`).
    public let height: Int

    public init(_ kind: Kind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
        height = 1 + kind.children.reduce(0) { max($0, $1.height) }
    }
}

extension Expr.Kind {
    /// The direct subexpressions.
    var children: [Expr] {
        switch self {
        case .literal, .identifier: []
        case .select(let operand, _, _): [operand]
        case let .index(operand, index): [operand, index]
        case let .call(_, target, arguments): (target.map { [$0] } ?? []) + arguments
        case .list(let items): items
        case .map(let entries): entries.flatMap { [$0.key, $0.value] }
        case .unary(_, let operand): [operand]
        case let .binary(_, left, right): [left, right]
        case let .conditional(condition, then, otherwise): [condition, then, otherwise]
        }
    }
}

public enum UnaryOperator: String, Sendable, Hashable {
    case not = "!"
    case negate = "-"
}

public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case or = "||"
    case and = "&&"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case `in` = "in"
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"

    /// Binding strength, as CEL's grammar orders it: `||` < `&&` < relations < `+ -` < `* / %`.
    var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in: 3
        case .add, .subtract: 4
        case .multiply, .divide, .remainder: 5
        }
    }
}
