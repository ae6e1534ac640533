import Foundation

/// Type-checks expressions against a `PlanningEnvironment` and plans them into closures over
/// field and local slots. One planner serves all expressions of a rule, so `let` names and
/// the fields the rule reads are shared between `when`, `require` and the message.
struct ExpressionPlanner {
    private struct Local {
        var slot: Int
        var type: ValueType
        /// For a `let`: how to compute it on first use in an evaluation.
        var lazyValue: Evaluator?
    }

    let environment: PlanningEnvironment
    private var scopes: [[String: Local]] = [[:]]
    private(set) var localCount: Int
    private(set) var referencedPaths: [String] = []
    private(set) var referencedParameters: [String] = []
    /// Whether an expression names `period`.
    private(set) var readsPeriod = false
    /// The text of the expression being planned, for messages about its parts.
    private var text: [Unicode.Scalar] = []
    private let scratch = Activation(localCount: 0)
    /// Set when planning the group-level expressions of an aggregate rule: `count()`, `sum(e)`… become measures.
    var measures: MeasureCollector?

    init(environment: PlanningEnvironment) {
        self.environment = environment
        localCount = environment.variables.count
        for (slot, variable) in environment.variables.enumerated() {
            scopes[0][variable.name] = Local(slot: slot, type: variable.type, lazyValue: nil)
        }
    }

    /// Parses and plans `source`; problems carry offsets into `source`.
    mutating func plan(_ source: String) throws(ExpressionProblem) -> PlannedExpression {
        let expr = try ExpressionParser.parse(source, maxDepth: environment.limits.expressionDepth)
        text = Array(source.unicodeScalars)
        return try plan(expr)
    }

    /// Plans a part of another planner's expression (a measure's argument) with that expression's text.
    mutating func plan(_ expr: Expr, in text: [Unicode.Scalar]) throws(ExpressionProblem) -> PlannedExpression {
        self.text = text
        return try plan(expr)
    }

    /// Declares a name whose value is put into its slot before evaluation (a group key, a measure).
    mutating func declareLocal(_ name: String, type: ValueType) -> Int {
        let slot = localCount
        localCount += 1
        scopes[scopes.count - 1][name] = Local(slot: slot, type: type, lazyValue: nil)
        return slot
    }

    /// Declares a `let` name, computed on its first use in each evaluation and only then.
    mutating func declareLet(_ name: String, _ planned: PlannedExpression) -> Int {
        let slot = localCount
        localCount += 1
        scopes[scopes.count - 1][name] = Local(slot: slot, type: planned.type, lazyValue: planned.evaluate)
        return slot
    }

    /// The longest record paths read, without those that are prefixes of others.
    var readPaths: [String] {
        referencedPaths.filter { path in !referencedPaths.contains { $0.hasPrefix(path + ".") } }
    }

    private func snippet(_ expr: Expr) -> String {
        guard expr.start >= 0, expr.end <= text.count, expr.start < expr.end else { return "expression" }
        return String(String.UnicodeScalarView(text[expr.start..<expr.end]))
    }

    private func lookupLocal(_ name: String) -> Local? {
        for scope in scopes.reversed() { if let local = scope[name] { return local } }
        return nil
    }

    private var visibleNames: [String] {
        scopes.flatMap(\.keys) + (environment.recordShape?.fieldNames ?? []) + ["params", "data", "period"]
    }

    // MARK: - Nodes

    private mutating func plan(_ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        switch expr.kind {
        case .literal(let value):
            return .constant(value)
        case .identifier(let name):
            return try identifier(name, expr)
        case let .select(operand, field, isPresenceTest):
            return try select(operand, field, isPresenceTest: isPresenceTest, expr)
        case let .index(operand, index):
            return try self.index(operand, index, expr)
        case let .call(name, target, arguments):
            return try call(name, target: target, arguments, expr)
        case .list(let items):
            return try list(items)
        case .map(let entries):
            return try map(entries, expr)
        case let .unary(op, operand):
            return try unary(op, operand, expr)
        case let .binary(op, left, right):
            return try binary(op, left, right, expr)
        case let .conditional(condition, then, otherwise):
            return try conditional(condition, then, otherwise, expr)
        }
    }

    private mutating func identifier(_ name: String, _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        if let local = lookupLocal(name) {
            let slot = local.slot
            if let compute = local.lazyValue {
                return PlannedExpression(type: local.type) { a throws(EvaluationError) in
                    if a.letStamps[slot] != a.stamp {
                        a.letStamps[slot] = a.stamp
                        do throws(EvaluationError) {
                            a.locals[slot] = try compute(a)
                            a.localErrors[slot] = nil
                        } catch {
                            a.localErrors[slot] = error
                        }
                    }
                    if let error = a.localErrors[slot] { throw error }
                    return a.locals[slot]
                }
            }
            return PlannedExpression(type: local.type) { a throws(EvaluationError) in
                if let error = a.localErrors[slot] { throw error }
                return a.locals[slot]
            }
        }
        if let shape = environment.recordShape, let slot = shape.index(of: name) {
            referencedPaths.appendIfAbsent(name)
            return PlannedExpression(type: shape.fieldTypes[slot], recordPath: name) { a in a.fields[slot] }
        }
        if name == "period" {
            readsPeriod = true
            return PlannedExpression(type: .object(AuditPeriod.shape)) { a in a.period }
        }
        if name == "params" {
            return .constant(.map(MapValue(environment.parameters.sorted { $0.key < $1.key }
                .map { (Value.string($0.key), $0.value.value) })), type: .map(.string, .dyn))
        }
        if name == "data" {
            return .constant(.map(MapValue(environment.data.sorted { $0.key < $1.key }
                .map { (Value.string($0.key), $0.value.value) })), type: .map(.string, .dyn))
        }
        throw ExpressionProblem("unknown name `\(name)`", at: expr.start, code: .unknownName,
                                help: Suggestion.help(for: name, in: visibleNames))
    }

    private mutating func namespaceMember(_ namespace: String, _ field: String, isPresenceTest: Bool,
                                          _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        let table = namespace == "params" ? environment.parameters : environment.data
        guard let constant = table[field] else {
            let what = namespace == "params" ? "parameter" : "reference data"
            throw ExpressionProblem("unknown \(what) `\(namespace).\(field)`", at: expr.start,
                                    code: namespace == "params" ? .unknownParameter : .unknownData,
                                    help: Suggestion.help(for: field, in: table.keys))
        }
        if namespace == "params" { referencedParameters.appendIfAbsent(field) }
        if isPresenceTest { return .constant(.bool(!constant.value.isNull)) }
        if constant.value.isNull {
            let message = namespace == "params"
                ? "parameter `\(field)` is not configured"
                : "reference data `\(field)` is not configured"
            return PlannedExpression(type: constant.type) { _ throws(EvaluationError) in
                throw EvaluationError(.notConfigured, message)
            }
        }
        return .constant(constant.value, type: constant.type)
    }

    private mutating func select(_ operand: Expr, _ field: String, isPresenceTest: Bool,
                                 _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        if case .identifier(let name) = operand.kind, name == "params" || name == "data", lookupLocal(name) == nil,
           environment.recordShape?.index(of: name) == nil {
            return try namespaceMember(name, field, isPresenceTest: isPresenceTest, expr)
        }
        let base = try plan(operand)
        let evaluateBase = base.evaluate
        switch base.type {
        case .object(let shape):
            guard let slot = shape.index(of: field) else {
                throw ExpressionProblem("`\(snippet(operand))` has no field `\(field)`", at: expr.end - field.unicodeScalars.count,
                                        code: .unknownField, help: Suggestion.help(for: field, in: shape.fieldNames))
            }
            let path = base.recordPath.map { "\($0).\(field)" }
            if let path { referencedPaths.appendIfAbsent(path) }
            if isPresenceTest {
                return PlannedExpression(type: .bool) { a throws(EvaluationError) in
                    switch try evaluateBase(a) {
                    case .object(let object): return .bool(!object.fields[slot].isNull)
                    case .null: return .bool(false)
                    case let other: throw .overload("has", other)
                    }
                }
            }
            return PlannedExpression(type: shape.fieldTypes[slot], recordPath: path) { a throws(EvaluationError) in
                switch try evaluateBase(a) {
                case .object(let object): return object.fields[slot]
                case .null: return .null
                case let other: throw .overload(".\(field)", other)
                }
            }
        case .map, .dyn, .null:
            if case .map(let key, _) = base.type, !key.accepts(.string) {
                throw ExpressionProblem("`\(snippet(operand))` is a \(base.type) and has no field `\(field)`",
                                        at: operand.end, code: .typeMismatch)
            }
            let key = Value.string(field)
            let valueType: ValueType = if case .map(_, let v) = base.type { v } else { .dyn }
            if isPresenceTest {
                return fold(PlannedExpression(type: .bool) { a throws(EvaluationError) in
                    switch try evaluateBase(a) {
                    case .map(let map): return .bool(map[key] != nil)
                    case .object(let object): return .bool(object[field].map { !$0.isNull } ?? false)
                    case .null: return .bool(false)
                    case let other: throw .overload("has", other)
                    }
                }, [base])
            }
            return fold(PlannedExpression(type: valueType) { a throws(EvaluationError) in
                switch try evaluateBase(a) {
                case .map(let map):
                    guard let value = map[key] else { throw EvaluationError(.noSuchKey, "no such key: '\(field)'") }
                    return value
                case .object(let object):
                    guard let value = object[field] else { throw EvaluationError(.noSuchKey, "no such key: '\(field)'") }
                    return value
                case .null: return .null
                case let other: throw .overload(".\(field)", other)
                }
            }, [base])
        default:
            throw ExpressionProblem("`\(snippet(operand))` is a \(base.type) and has no field `\(field)`",
                                    at: operand.end, code: .typeMismatch)
        }
    }

    private mutating func index(_ operand: Expr, _ indexExpr: Expr, _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        let base = try plan(operand)
        let key = try plan(indexExpr)
        let resultType: ValueType
        switch base.type {
        case .list(let element):
            try require(key, .number, indexExpr, "a list index")
            resultType = element
        case .map(let keyType, let valueType):
            guard keyType.accepts(key.type) else {
                throw ExpressionProblem("a map with \(keyType) keys indexed by a \(key.type)", at: indexExpr.start, code: .typeMismatch)
            }
            resultType = valueType
        case .object(let shape):
            if let name = key.constant, case .string(let field) = name {
                guard let slot = shape.index(of: field) else {
                    throw ExpressionProblem("`\(snippet(operand))` has no field `\(field)`", at: indexExpr.start,
                                            code: .unknownField, help: Suggestion.help(for: field, in: shape.fieldNames))
                }
                resultType = shape.fieldTypes[slot]
            } else {
                resultType = .dyn
            }
        case .dyn:
            resultType = .dyn
        default:
            throw ExpressionProblem("`\(snippet(operand))` is a \(base.type) and cannot be indexed", at: operand.start,
                                    code: .typeMismatch)
        }
        let evaluateBase = base.evaluate, evaluateKey = key.evaluate
        let baseText = snippet(operand), keyText = snippet(indexExpr)
        // A small constant table by a string, the usual `params.…[field]`: the key's bytes are compared with
        // each entry's rather than hashed; a key not found takes the general path and its error.
        if let constant = base.constant, let entries = Self.stringKeyedEntries(constant) {
            return fold(PlannedExpression(type: resultType) { a throws(EvaluationError) in
                let key = try evaluateKey(a)
                if case .string(let text) = key {
                    for entry in entries where Value.sameScalars(entry.key, text) { return entry.value }
                }
                do throws(EvaluationError) { return try Operators.index(constant, key) } catch {
                    throw absence(key, keyText) ?? error
                }
            }, [base, key])
        }
        return fold(PlannedExpression(type: resultType) { a throws(EvaluationError) in
            let container = try evaluateBase(a), key = try evaluateKey(a)
            do throws(EvaluationError) { return try Operators.index(container, key) } catch {
                throw absence(container, baseText) ?? absence(key, keyText) ?? error
            }
        }, [base, key])
    }

    private mutating func list(_ items: [Expr]) throws(ExpressionProblem) -> PlannedExpression {
        var planned: [PlannedExpression] = []
        for item in items { planned.append(try plan(item)) }
        let elementType = planned.dropFirst().reduce(planned.first?.type ?? .dyn) { $0.joined(with: $1.type) }
        let evaluators = planned.map(\.evaluate)
        return fold(PlannedExpression(type: .list(elementType)) { a throws(EvaluationError) in
            var values: [Value] = []
            values.reserveCapacity(evaluators.count)
            for evaluate in evaluators { values.append(try evaluate(a)) }
            return .list(values)
        }, planned)
    }

    private mutating func map(_ entries: [Expr.MapEntry], _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        var keys: [PlannedExpression] = []
        var values: [PlannedExpression] = []
        for entry in entries {
            let key = try plan(entry.key)
            switch key.type {
            case .string, .number, .bool, .dyn: break
            default:
                throw ExpressionProblem("a map key must be a string, number or bool, found \(key.type)",
                                        at: entry.key.start, code: .typeMismatch)
            }
            keys.append(key)
            values.append(try plan(entry.value))
        }
        let keyType = keys.dropFirst().reduce(keys.first?.type ?? .dyn) { $0.joined(with: $1.type) }
        let valueType = values.dropFirst().reduce(values.first?.type ?? .dyn) { $0.joined(with: $1.type) }
        let pairs = zip(keys.map(\.evaluate), values.map(\.evaluate)).map { ($0, $1) }
        return fold(PlannedExpression(type: .map(keyType, valueType)) { a throws(EvaluationError) in
            var map = MapValue()
            for (key, value) in pairs {
                let k = try key(a)
                if map[k] != nil { throw EvaluationError(.invalidArgument, "duplicate map key \(k.literalDescription)") }
                map[k] = try value(a)
            }
            return .map(map)
        }, keys + values)
    }

    private mutating func unary(_ op: UnaryOperator, _ operand: Expr, _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        let inner = try plan(operand)
        let evaluate = inner.evaluate
        let text = snippet(operand)
        switch op {
        case .not:
            try require(inner, .bool, operand, "`!`")
            return fold(PlannedExpression(type: .bool) { a throws(EvaluationError) in
                let v = try evaluate(a)
                guard case .bool(let b) = v else { throw absence(v, text) ?? .overload("!", v) }
                return .bool(!b)
            }, [inner])
        case .negate:
            try require(inner, .number, operand, "`-`")
            return fold(PlannedExpression(type: .number) { a throws(EvaluationError) in
                let v = try evaluate(a)
                guard case .number(let n) = v else { throw absence(v, text) ?? .overload("-", v) }
                return .number(-n)
            }, [inner])
        }
    }

    private mutating func conditional(_ condition: Expr, _ then: Expr, _ otherwise: Expr,
                                      _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        let test = try plan(condition)
        try require(test, .bool, condition, "the condition of `?:`")
        let yes = try plan(then)
        let no = try plan(otherwise)
        guard comparableForEquality(yes.type, no.type) else {
            throw ExpressionProblem("the arms of `?:` differ in type: \(yes.type) and \(no.type)", at: then.start,
                                    code: .typeMismatch)
        }
        let evaluateTest = test.evaluate, evaluateYes = yes.evaluate, evaluateNo = no.evaluate
        let text = snippet(condition)
        return fold(PlannedExpression(type: yes.type.joined(with: no.type)) { a throws(EvaluationError) in
            switch try evaluateTest(a) {
            case .bool(true): return try evaluateYes(a)
            case .bool(false): return try evaluateNo(a)
            case let other: throw absence(other, text) ?? .overload("?:", other)
            }
        }, [test, yes, no])
    }

    // MARK: - Binary operators

    private mutating func binary(_ op: BinaryOperator, _ leftExpr: Expr, _ rightExpr: Expr,
                                 _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        let left = try plan(leftExpr)
        let right = try plan(rightExpr)
        let l = left.evaluate, r = right.evaluate
        let leftText = snippet(leftExpr), rightText = snippet(rightExpr)

        switch op {
        case .and, .or:
            try require(left, .bool, leftExpr, "`\(op.rawValue)`")
            try require(right, .bool, rightExpr, "`\(op.rawValue)`")
            let absorbing = op == .or  // the value that decides the result alone
            let planned = PlannedExpression(type: .bool) { a throws(EvaluationError) in
                var firstError: EvaluationError?
                do throws(EvaluationError) {
                    let v = try l(a)
                    if case .bool(let b) = v { if b == absorbing { return v } } else {
                        firstError = absence(v, leftText) ?? .overload(op.rawValue, v)
                    }
                } catch { firstError = error }
                do throws(EvaluationError) {
                    let v = try r(a)
                    if case .bool(let b) = v {
                        if b == absorbing { return v }
                    } else if firstError == nil {
                        firstError = absence(v, rightText) ?? .overload(op.rawValue, v)
                    }
                } catch {
                    if firstError == nil { firstError = error }
                }
                if let firstError { throw firstError }
                return .bool(!absorbing)
            }
            return fold(planned, [left, right])

        case .equal, .notEqual:
            guard comparableForEquality(left.type, right.type) else {
                throw ExpressionProblem("`\(op.rawValue)` compares a \(left.type) with a \(right.type)",
                                        at: leftExpr.start, code: .typeMismatch)
            }
            let negate = op == .notEqual
            // `field == 'constant'`, the commonest test in rules, compares in place: no closure for the constant,
            // no copy of the field's value.
            if case .identifier(let name) = leftExpr.kind, lookupLocal(name) == nil,
               let slot = environment.recordShape?.index(of: name), let constant = right.constant {
                if case .string(let text) = constant {
                    // A field of another kind is never equal to a string.
                    return PlannedExpression(type: .bool) { a in
                        guard case .string(let value) = a.fields[slot] else { return .bool(negate) }
                        return .bool(Value.sameScalars(value, text) != negate)
                    }
                }
                return PlannedExpression(type: .bool) { a in .bool((a.fields[slot] == constant) != negate) }
            }
            return fold(PlannedExpression(type: .bool) { a throws(EvaluationError) in
                .bool((try l(a) == (try r(a))) != negate)
            }, [left, right])

        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard orderable(left.type, right.type) else {
                throw ExpressionProblem("`\(op.rawValue)` cannot order a \(left.type) and a \(right.type)",
                                        at: leftExpr.start, code: .typeMismatch)
            }
            let test: @Sendable (Int) -> Bool = switch op {
            case .less: { $0 < 0 }
            case .lessOrEqual: { $0 <= 0 }
            case .greater: { $0 > 0 }
            default: { $0 >= 0 }
            }
            let symbol = op.rawValue
            return fold(PlannedExpression(type: .bool) { a throws(EvaluationError) in
                let lv = try l(a), rv = try r(a)
                // Two numbers, the usual case, are compared in place before the general comparison.
                if case .number(let x) = lv, case .number(let y) = rv { return .bool(test(ExactDecimal.compare(x, y))) }
                do throws(EvaluationError) { return .bool(test(try Operators.compare(symbol, lv, rv))) } catch {
                    throw absence(lv, leftText) ?? absence(rv, rightText) ?? error
                }
            }, [left, right])

        case .in:
            switch right.type {
            case .list(let element):
                guard comparableForEquality(element, left.type) else {
                    throw ExpressionProblem("`in` looks for a \(left.type) in a list of \(element)", at: leftExpr.start,
                                            code: .typeMismatch)
                }
            case .map(let key, _):
                guard comparableForEquality(key, left.type) else {
                    throw ExpressionProblem("`in` looks for a \(left.type) key in a map with \(key) keys", at: leftExpr.start,
                                            code: .typeMismatch)
                }
            case .dyn, .object: break
            default:
                throw ExpressionProblem("`in` needs a list or a map on its right, found \(right.type)", at: rightExpr.start,
                                        code: .typeMismatch)
            }
            if let constant = right.constant, let entries = Self.stringKeyedEntries(constant) {
                return fold(PlannedExpression(type: .bool) { a throws(EvaluationError) in
                    let element = try l(a)
                    guard case .string(let text) = element else { return .bool(try Operators.contains(constant, element)) }
                    return .bool(entries.contains { Value.sameScalars($0.key, text) })
                }, [left, right])
            }
            // A short constant list of strings, the usual `category in params.…`: the element's bytes are compared
            // with each string's, without a `Value` comparison per item.
            if let constant = right.constant, case .list(let items) = constant, items.count <= 8,
               case let strings = items.compactMap({ item -> String? in if case .string(let s) = item { s } else { nil } }),
               strings.count == items.count {
                return fold(PlannedExpression(type: .bool) { a throws(EvaluationError) in
                    guard case .string(let element) = try l(a) else { return .bool(false) }
                    return .bool(strings.contains { Value.sameScalars($0, element) })
                }, [left, right])
            }
            if let constant = right.constant, case .list(let items) = constant, items.count > 8 {
                let set = Set(items)
                return fold(PlannedExpression(type: .bool) { a throws(EvaluationError) in
                    .bool(set.contains(try l(a)))
                }, [left, right])
            }
            return fold(PlannedExpression(type: .bool) { a throws(EvaluationError) in
                let element = try l(a), container = try r(a)
                do throws(EvaluationError) { return .bool(try Operators.contains(container, element)) } catch {
                    throw absence(container, rightText) ?? error
                }
            }, [left, right])

        case .add, .subtract, .multiply, .divide, .remainder:
            let resultType = try arithmeticType(op, left, right, leftExpr, rightExpr)
            let operation: @Sendable (Value, Value) throws(EvaluationError) -> Value = switch op {
            case .add: Operators.add
            case .subtract: Operators.subtract
            case .multiply: Operators.multiply
            case .divide: Operators.divide
            default: Operators.remainder
            }
            let isListConcatenation = op == .add && { if case .list = resultType { true } else { resultType == .dyn } }()
            let isStringConcatenation = op == .add && (resultType == .string || resultType == .dyn)
            return fold(PlannedExpression(type: resultType) { a throws(EvaluationError) in
                let lv = try l(a), rv = try r(a)
                // Two numbers, the usual case, are combined in place rather than through the operator's overloads.
                if case .number(let x) = lv, case .number(let y) = rv, let n = try Operators.numbers(op, x, y) { return .number(n) }
                if isListConcatenation, case .list(let x) = lv, case .list(let y) = rv {
                    try a.spend(x.count + y.count)
                } else if isStringConcatenation, case .string(let x) = lv, case .string(let y) = rv {
                    // Doubling a string in each of a few `let`s would otherwise build gigabytes at no cost.
                    try a.spend((x.utf8.count + y.utf8.count) >> 6)
                }
                do throws(EvaluationError) { return try operation(lv, rv) } catch {
                    throw absence(lv, leftText) ?? absence(rv, rightText) ?? error
                }
            }, [left, right])
        }
    }

    private func arithmeticType(_ op: BinaryOperator, _ left: PlannedExpression, _ right: PlannedExpression,
                                _ leftExpr: Expr, _ rightExpr: Expr) throws(ExpressionProblem) -> ValueType {
        switch (op, left.type, right.type) {
        case (_, .dyn, _), (_, _, .dyn): return .dyn
        case (_, .number, .number): return .number
        case (.add, .string, .string): return .string
        case (.add, .list(let a), .list(let b)): return .list(a.joined(with: b))
        case (.add, .date, .number), (.add, .number, .date), (.subtract, .date, .number): return .date
        case (.subtract, .date, .date): return .number
        default:
            throw ExpressionProblem("`\(op.rawValue)` cannot combine a \(left.type) and a \(right.type)",
                                    at: leftExpr.start, code: .typeMismatch)
        }
    }

    private func comparableForEquality(_ a: ValueType, _ b: ValueType) -> Bool {
        switch (a, b) {
        case (.dyn, _), (_, .dyn), (.null, _), (_, .null): return true
        case let (.list(x), .list(y)): return comparableForEquality(x, y)
        case let (.map(k1, v1), .map(k2, v2)): return comparableForEquality(k1, k2) && comparableForEquality(v1, v2)
        case (.object, .map), (.map, .object): return true
        default: return a == b
        }
    }

    private func orderable(_ a: ValueType, _ b: ValueType) -> Bool {
        switch (a, b) {
        case (.dyn, .dyn): return true
        case (.dyn, let t), (let t, .dyn): return [.number, .string, .date, .bool].contains(t)
        case (.number, .number), (.string, .string), (.date, .date), (.bool, .bool): return true
        default: return false
        }
    }

    /// The entries of a constant map of at most 16 entries whose keys are all strings; nil otherwise.
    private static func stringKeyedEntries(_ constant: Value) -> [(key: String, value: Value)]? {
        guard case .map(let map) = constant, map.keys.count <= 16 else { return nil }
        var entries: [(key: String, value: Value)] = []
        for key in map.keys {
            guard case .string(let text) = key, let value = map[key] else { return nil }
            entries.append((text, value))
        }
        return entries
    }

    // MARK: - Calls

    private static let macros: Set<String> = ["all", "exists", "exists_one", "map", "filter"]

    private mutating func call(_ name: String, target: Expr?, _ arguments: [Expr],
                               _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        if let target, Self.macros.contains(name), let first = arguments.first, case .identifier(let variable) = first.kind {
            return try macro(name, target: target, variable: variable, Array(arguments.dropFirst()), expr)
        }
        if let measures, target == nil, let kind = MeasureKind(rawValue: name),
           arguments.count == (kind == .count ? 0 : 1) {
            return try measure(kind, arguments.first, measures, expr)
        }
        if name == "has", target == nil, arguments.count == 1, case .identifier(let field) = arguments[0].kind {
            let inner = try plan(arguments[0])
            // A record field is tested in its slot, without a copy of its value.
            if inner.recordPath == field, lookupLocal(field) == nil, let slot = environment.recordShape?.index(of: field) {
                return PlannedExpression(type: .bool) { a in .bool(!a.fields[slot].isNull) }
            }
            let evaluate = inner.evaluate
            return fold(PlannedExpression(type: .bool) { a throws(EvaluationError) in .bool(!(try evaluate(a)).isNull) }, [inner])
        }
        var planned: [PlannedExpression] = []
        var exprs: [Expr] = []
        if let target {
            planned.append(try plan(target))
            exprs.append(target)
        }
        for argument in arguments {
            planned.append(try plan(argument))
            exprs.append(argument)
        }
        let builtin = try Builtins.resolve(name, planned.map(\.type), constants: planned.map(\.constant),
                                           calendar: environment.calendar, at: expr.start, argumentStarts: exprs.map(\.start))
        let evaluators = planned.map(\.evaluate)
        let texts = exprs.map(snippet)
        let result: PlannedExpression
        let implementation: Builtins.Implementation
        switch builtin.call {
        case .plain(let plain):
            implementation = plain
        case .metered(let metered):
            result = PlannedExpression(type: builtin.resultType) { a throws(EvaluationError) in
                var values: [Value] = []
                for evaluate in evaluators { values.append(try evaluate(a)) }
                do throws(EvaluationError) { return try metered(a, values) } catch {
                    for (value, text) in zip(values, texts) { if let absent = absence(value, text) { throw absent } }
                    throw error
                }
            }
            return fold(result, planned)
        }
        switch evaluators.count {
        // One and two arguments, nearly every call: evaluated first (a nested call fills the buffer in turn), then
        // passed in the activation's argument buffer rather than an array allocated per call.
        case 1:
            let a0 = evaluators[0], t0 = texts[0]
            result = PlannedExpression(type: builtin.resultType) { a throws(EvaluationError) in
                let v0 = try a0(a)
                a.arguments.removeAll(keepingCapacity: true)
                a.arguments.append(v0)
                do throws(EvaluationError) { return try implementation(a.arguments) } catch { throw absence(v0, t0) ?? error }
            }
        case 2:
            let a0 = evaluators[0], a1 = evaluators[1], t0 = texts[0], t1 = texts[1]
            result = PlannedExpression(type: builtin.resultType) { a throws(EvaluationError) in
                let v0 = try a0(a), v1 = try a1(a)
                a.arguments.removeAll(keepingCapacity: true)
                a.arguments.append(v0)
                a.arguments.append(v1)
                do throws(EvaluationError) { return try implementation(a.arguments) } catch { throw absence(v0, t0) ?? absence(v1, t1) ?? error }
            }
        default:
            result = PlannedExpression(type: builtin.resultType) { a throws(EvaluationError) in
                var values: [Value] = []
                for evaluate in evaluators { values.append(try evaluate(a)) }
                do throws(EvaluationError) { return try implementation(values) } catch {
                    for (value, text) in zip(values, texts) { if let absent = absence(value, text) { throw absent } }
                    throw error
                }
            }
        }
        return fold(result, planned)
    }

    private mutating func macro(_ name: String, target: Expr, variable: String, _ arguments: [Expr],
                                _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        let range = try plan(target)
        let elementType: ValueType
        switch range.type {
        case .list(let element): elementType = element
        case .map(let key, _): elementType = key
        case .dyn: elementType = .dyn
        default:
            throw ExpressionProblem("`\(name)` ranges over a list or a map, found \(range.type)", at: target.start,
                                    code: .typeMismatch)
        }
        let expectedArguments = name == "map" ? [1, 2] : [1]
        guard expectedArguments.contains(arguments.count) else {
            throw ExpressionProblem("`\(name)` takes a variable and \(name == "map" ? "one or two expressions" : "one expression")",
                                    at: expr.start, code: .typeMismatch)
        }
        scopes.append([:])
        let slot = localCount
        localCount += 1
        scopes[scopes.count - 1][variable] = Local(slot: slot, type: elementType, lazyValue: nil)
        defer { scopes.removeLast() }
        var bodies: [PlannedExpression] = []
        for argument in arguments { bodies.append(try plan(argument)) }
        let evaluateRange = range.evaluate
        let rangeText = snippet(target)
        // A predicate that reads an absent field is null: say which field, as `&&` and `!` do.
        let predicateText = arguments.first.map(snippet) ?? ""
        let elements: @Sendable (Activation) throws(EvaluationError) -> [Value] = { a throws(EvaluationError) in
            let value = try evaluateRange(a)
            switch value {
            case .list(let items): return items
            case .map(let map): return map.keys
            default: throw absence(value, rangeText) ?? .overload(name, value)
            }
        }

        switch name {
        case "all", "exists":
            try require(bodies[0], .bool, arguments[0], "the predicate of `\(name)`")
            let predicate = bodies[0].evaluate
            let deciding = name == "exists"
            return PlannedExpression(type: .bool) { a throws(EvaluationError) in
                var firstError: EvaluationError?
                for element in try elements(a) {
                    try a.spend(1)
                    a.locals[slot] = element
                    do throws(EvaluationError) {
                        let v = try predicate(a)
                        guard case .bool(let b) = v else { throw absence(v, predicateText) ?? .overload(name, v) }
                        if b == deciding { return .bool(deciding) }
                    } catch {
                        if firstError == nil { firstError = error }
                    }
                }
                if let firstError { throw firstError }
                return .bool(!deciding)
            }
        case "exists_one":
            try require(bodies[0], .bool, arguments[0], "the predicate of `exists_one`")
            let predicate = bodies[0].evaluate
            return PlannedExpression(type: .bool) { a throws(EvaluationError) in
                var count = 0
                for element in try elements(a) {
                    try a.spend(1)
                    a.locals[slot] = element
                    let v = try predicate(a)
                    guard case .bool(let b) = v else { throw absence(v, predicateText) ?? .overload("exists_one", v) }
                    if b { count += 1 }
                }
                return .bool(count == 1)
            }
        case "filter":
            try require(bodies[0], .bool, arguments[0], "the predicate of `filter`")
            let predicate = bodies[0].evaluate
            return PlannedExpression(type: .list(elementType)) { a throws(EvaluationError) in
                var kept: [Value] = []
                for element in try elements(a) {
                    try a.spend(1)
                    a.locals[slot] = element
                    let v = try predicate(a)
                    guard case .bool(let b) = v else { throw absence(v, predicateText) ?? .overload("filter", v) }
                    if b { kept.append(element) }
                }
                return .list(kept)
            }
        default:  // map
            let filter: Evaluator? = bodies.count == 2 ? bodies[0].evaluate : nil
            if bodies.count == 2 { try require(bodies[0], .bool, arguments[0], "the filter of `map`") }
            let transform = bodies[bodies.count - 1].evaluate
            return PlannedExpression(type: .list(bodies[bodies.count - 1].type)) { a throws(EvaluationError) in
                var mapped: [Value] = []
                for element in try elements(a) {
                    try a.spend(1)
                    a.locals[slot] = element
                    if let filter {
                        let keep = try filter(a)
                        guard case .bool(let b) = keep else { throw absence(keep, predicateText) ?? .overload("map", keep) }
                        if !b { continue }
                    }
                    mapped.append(try transform(a))
                }
                return .list(mapped)
            }
        }
    }

    /// A measure over the group's records: its argument is planned against the record, its value
    /// read from a local slot that the accumulator fills when the group is finished.
    private mutating func measure(_ kind: MeasureKind, _ argument: Expr?, _ collector: MeasureCollector,
                                  _ expr: Expr) throws(ExpressionProblem) -> PlannedExpression {
        var argumentPlan: PlannedExpression?
        if let argument {
            var recordPlanner = ExpressionPlanner(environment: collector.recordEnvironment)
            let planned = try recordPlanner.plan(argument, in: text)
            collector.recordLocalCount = max(collector.recordLocalCount, recordPlanner.localCount)
            collector.referencedPaths += recordPlanner.referencedPaths
            if recordPlanner.readsPeriod { collector.readsPeriod = true }
            if kind == .sum || kind == .avg {
                try require(planned, .number, argument, "`\(kind.rawValue)`")
            }
            argumentPlan = planned
        }
        let slot = localCount
        localCount += 1
        collector.measures.append(CompiledMeasure(kind: kind, argument: argumentPlan?.evaluate,
                                                  argumentText: argument.map(ExpressionPrinter.source(of:)), slot: slot))
        let type: ValueType = switch kind {
        case .min, .max: argumentPlan?.type ?? .dyn
        default: .number
        }
        return PlannedExpression(type: type) { a in a.locals[slot] }
    }

    // MARK: - Helpers

    private func require(_ planned: PlannedExpression, _ type: ValueType, _ expr: Expr,
                         _ role: String) throws(ExpressionProblem) {
        guard planned.type == type || planned.type == .dyn || planned.type == .null else {
            throw ExpressionProblem("\(role) needs a \(type), but `\(snippet(expr))` is a \(planned.type)",
                                    at: expr.start, code: .typeMismatch)
        }
    }

    /// Evaluates an expression whose inputs are all constants once, now; an expression that fails is left to
    /// fail at evaluation, where the error is reported against the record.
    private func fold(_ planned: PlannedExpression, _ inputs: [PlannedExpression]) -> PlannedExpression {
        guard inputs.allSatisfy({ $0.constant != nil }) else { return planned }
        guard let value = try? planned.evaluate(scratch) else { return planned }
        return .constant(value, type: planned.type)
    }
}

/// The error to report when an operand is null: name the absent field instead of "no such overload".
func absence(_ value: Value, _ text: String) -> EvaluationError? {
    guard value.isNull else { return nil }
    return EvaluationError(.absent, "`\(text)` is absent")
}

extension Array where Element: Equatable {
    mutating func appendIfAbsent(_ element: Element) {
        if !contains(element) { append(element) }
    }
}
