/// Evaluates a compiled expression against an activation.
public typealias Evaluator = @Sendable (Activation) throws(EvaluationError) -> Value

/// An expression after type checking and planning: its static type and the closure that evaluates it.
public struct PlannedExpression: Sendable {
    public var type: ValueType
    /// Set when the expression's value does not depend on the record (folded once, at load).
    public var constant: Value?
    public var evaluate: Evaluator
    /// The record field path this expression reads, when it is one (`deliberation.date`).
    var recordPath: String?

    init(type: ValueType, constant: Value? = nil, recordPath: String? = nil, evaluate: @escaping Evaluator) {
        self.type = type
        self.constant = constant
        self.recordPath = recordPath
        if let constant {
            self.evaluate = { _ in constant }
        } else {
            self.evaluate = evaluate
        }
    }

    static func constant(_ value: Value, type: ValueType? = nil) -> PlannedExpression {
        PlannedExpression(type: type ?? .of(value), constant: value) { _ in value }
    }
}
