@testable import PolicyCheckKit

extension Expr {
    /// The same tree with every offset zero: two parses of differently spaced text compare equal.
    var withoutOffsets: Expr {
        let kind: Kind
        switch self.kind {
        case .literal, .identifier:
            kind = self.kind
        case let .select(operand, field, isPresenceTest):
            kind = .select(operand.withoutOffsets, field, isPresenceTest: isPresenceTest)
        case let .index(operand, index):
            kind = .index(operand.withoutOffsets, index.withoutOffsets)
        case let .call(name, target, arguments):
            kind = .call(name, target: target?.withoutOffsets, arguments.map(\.withoutOffsets))
        case .list(let items):
            kind = .list(items.map(\.withoutOffsets))
        case .map(let entries):
            kind = .map(entries.map { MapEntry(key: $0.key.withoutOffsets, value: $0.value.withoutOffsets) })
        case let .unary(op, operand):
            kind = .unary(op, operand.withoutOffsets)
        case let .binary(op, left, right):
            kind = .binary(op, left.withoutOffsets, right.withoutOffsets)
        case let .conditional(condition, then, otherwise):
            kind = .conditional(condition.withoutOffsets, then.withoutOffsets, otherwise.withoutOffsets)
        }
        return Expr(kind, start: 0, end: 0)
    }
}
