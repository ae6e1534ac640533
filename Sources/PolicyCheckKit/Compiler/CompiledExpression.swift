/// A single expression compiled on its own — for `policycheck eval` and for tests of the language.
public struct CompiledExpression: Sendable {
    public let type: ValueType
    private let evaluator: Evaluator
    private let localCount: Int
    private let steps: Int

    /// Compiles `text` in `environment`; a problem is located at its column of the expression
    /// (file `file`, line 1).
    public static func compile(_ text: String, environment: PlanningEnvironment = PlanningEnvironment(),
                               file: String = "<expression>") -> Result<CompiledExpression, Diagnostic> {
        var planner = ExpressionPlanner(environment: environment)
        do throws(ExpressionProblem) {
            let planned = try planner.plan(text)
            return .success(CompiledExpression(type: planned.type, evaluator: planned.evaluate, localCount: planner.localCount,
                                               steps: environment.limits.evaluationSteps))
        } catch {
            return .failure(.error(error.code, error.message,
                                   at: SourceLocation(file: file, line: 1, column: error.offset + 1), help: error.help))
        }
    }

    /// Evaluates with the record's field slots and the environment's variables, in order.
    public func evaluate(fields: [Value] = [], variables: [Value] = []) -> Result<Value, EvaluationError> {
        let activation = Activation(localCount: max(localCount, variables.count), budget: steps)
        activation.reset(fields: fields)
        for (slot, value) in variables.enumerated() { activation.locals[slot] = value }
        do throws(EvaluationError) { return .success(try evaluator(activation)) } catch { return .failure(error) }
    }
}

extension CompiledPack {
    /// The planning environment of the pack: its parameters, reference data and calendar.
    public func environment(recordShape: ObjectShape? = nil,
                            variables: [(name: String, type: ValueType)] = []) -> PlanningEnvironment {
        var parameterConstants: [String: PlanningEnvironment.Constant] = [:]
        for definition in manifest.parameters {
            parameterConstants[definition.name] = .init(type: definition.type.valueType,
                                                        value: parameters[definition.name] ?? .null)
        }
        return PlanningEnvironment(recordShape: recordShape, parameters: parameterConstants, data: data,
                                   calendar: calendar, variables: variables, limits: limits)
    }
}

extension Value {
    /// A value from JSON or YAML text, typed by what it looks like (for `--bind` and tests).
    public static func parse(json text: String, file: String = "<bind>") -> Result<Value, Diagnostic> {
        switch YAMLSource(file: file, text: text).documents() {
        case .failure(let diagnostic): return .failure(diagnostic)
        case .success(let nodes):
            guard nodes.count == 1, let node = nodes.first else {
                return .failure(.error(.invalidValue, "expected one JSON value", at: SourceLocation(file: file, line: 1, column: 1)))
            }
            return .success(ValueDecoder(strictness: .strict).decodeAny(node))
        }
    }
}
