/// What an expression may name: the record's fields, the pack's parameters and reference data,
/// the working-day calendar and any variables bound at evaluation time.
public struct PlanningEnvironment: Sendable {
    public struct Constant: Sendable {
        public var type: ValueType
        /// `.null` for a parameter that is not configured: reading it is an evaluation error.
        public var value: Value

        public init(type: ValueType, value: Value) {
            self.type = type
            self.value = value
        }
    }

    public var recordShape: ObjectShape?
    public var parameters: [String: Constant]
    public var data: [String: Constant]
    public var calendar: WorkingDayCalendar?
    /// Names bound at run time, in local slots `0..<variables.count`.
    public var variables: [(name: String, type: ValueType)]
    /// Bounds on expression nesting and, for what is compiled here, evaluation steps.
    public var limits: ResourceLimits

    public init(recordShape: ObjectShape? = nil, parameters: [String: Constant] = [:],
                data: [String: Constant] = [:], calendar: WorkingDayCalendar? = nil,
                variables: [(name: String, type: ValueType)] = [], limits: ResourceLimits = ResourceLimits()) {
        self.limits = limits
        self.recordShape = recordShape
        self.parameters = parameters
        self.data = data
        self.calendar = calendar
        self.variables = variables
    }
}
