import Foundation

/// The functions of the expression language: CEL's standard ones that make sense for records,
/// and the date functions of government deadlines.
///
/// Each call is resolved once, when the pack loads: argument types are checked and the
/// implementation is chosen; a regular expression given as a literal is compiled then.
enum Builtins {
    typealias Implementation = @Sendable ([Value]) throws(EvaluationError) -> Value

    /// An implementation whose work depends on its input beyond the values' count (`matches` over a long
    /// text): it charges that work to the evaluation's budget.
    typealias MeteredImplementation = @Sendable (Activation, [Value]) throws(EvaluationError) -> Value

    struct Resolved {
        enum Call {
            case plain(Implementation)
            /// Given the activation, so its work is charged to the evaluation's budget.
            case metered(MeteredImplementation)
        }

        var resultType: ValueType
        var call: Call

        init(resultType: ValueType, implementation: @escaping Implementation) {
            self.resultType = resultType
            call = .plain(implementation)
        }

        init(resultType: ValueType, metered: @escaping MeteredImplementation) {
            self.resultType = resultType
            call = .metered(metered)
        }
    }

    /// Runs `regex` over `text` within the activation's budget, one step per automaton state at each character.
    static func search(_ regex: RegularExpression, in text: String, _ activation: Activation) throws(EvaluationError) -> Bool {
        let (matched, steps) = regex.search(text, maxSteps: max(0, activation.budget))
        try activation.spend(steps)
        return matched ?? false
    }

    /// Name, then the accepted argument counts, for the "did you mean" of an unknown function.
    static let signatures: [String: String] = [
        "size": "size(string | list | map) -> number",
        "contains": "string.contains(string) -> bool",
        "startsWith": "string.startsWith(string) -> bool",
        "endsWith": "string.endsWith(string) -> bool",
        "matches": "string.matches(regex) -> bool",
        "lowerAscii": "string.lowerAscii() -> string",
        "upperAscii": "string.upperAscii() -> string",
        "trim": "string.trim() -> string",
        "date": "date(string) -> date",
        "year": "year(date) -> number",
        "month": "month(date) -> number",
        "day": "day(date) -> number",
        "days_between": "days_between(date, date) -> number",
        "workdays_between": "workdays_between(date, date) -> number",
        "add_days": "add_days(date, number) -> date",
        "add_months": "add_months(date, number) -> date",
        "min": "min(a, b, …) or min(list) -> number | date",
        "max": "max(a, b, …) or max(list) -> number | date",
        "abs": "abs(number) -> number",
        "round": "round(number[, places]) -> number (half away from zero)",
        "string": "string(x) -> string",
        "int": "int(number | string) -> number (toward zero)",
        "number": "number(string | number) -> number",
        "double": "double(string | number) -> number",
        "dyn": "dyn(x) -> x",
    ]

    static func resolve(_ name: String, _ types: [ValueType], constants: [Value?], calendar: WorkingDayCalendar?,
                        at offset: Int, argumentStarts: [Int]) throws(ExpressionProblem) -> Resolved {
        func arity(_ counts: ClosedRange<Int>) throws(ExpressionProblem) {
            guard counts.contains(types.count) else {
                throw ExpressionProblem("`\(name)` takes \(counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)") argument(s), found \(types.count)",
                                        at: offset, code: .typeMismatch, help: signatures[name])
            }
        }
        func expect(_ index: Int, _ allowed: ValueType...) throws(ExpressionProblem) {
            let type = types[index]
            if type == .dyn || type == .null { return }
            if allowed.contains(type) { return }
            if allowed.contains(where: { if case .list = $0 { if case .list = type { return true } }; return false }) { return }
            if allowed.contains(where: { if case .map = $0 { if case .map = type { return true } }; return false }) { return }
            throw ExpressionProblem("`\(name)` does not take a \(type) as argument \(index + 1)",
                                    at: argumentStarts.indices.contains(index) ? argumentStarts[index] : offset,
                                    code: .typeMismatch, help: signatures[name])
        }

        switch name {
        case "size":
            try arity(1...1)
            try expect(0, .string, .list(.dyn), .map(.dyn, .dyn))
            return Resolved(resultType: .number) { v throws(EvaluationError) in try Operators.size(v[0]) }

        case "contains", "startsWith", "endsWith":
            try arity(2...2)
            try expect(0, .string)
            try expect(1, .string)
            // By UTF-8 bytes, that is by code points as CEL has it: String's own `hasPrefix` and `contains` compare
            // characters, so `e` + U+0301 would not start with `e`, and `é` would start with `e` + U+0301.
            let test: @Sendable (String, String) -> Bool = switch name {
            case "contains": { $1.isEmpty || $0.utf8.firstRange(of: $1.utf8) != nil }
            case "startsWith": { $0.utf8.starts(with: $1.utf8) }
            default: { $0.utf8.reversed().starts(with: $1.utf8.reversed()) }
            }
            return Resolved(resultType: .bool) { v throws(EvaluationError) in
                guard case .string(let s) = v[0], case .string(let t) = v[1] else { throw .overload(name, v[0], v[1]) }
                return .bool(test(s, t))
            }

        case "matches":
            try arity(2...2)
            try expect(0, .string)
            try expect(1, .string)
            if let constant = constants[1], case .string(let pattern) = constant {
                let regex: RegularExpression
                do { regex = try RegularExpression(pattern) } catch {
                    throw ExpressionProblem(error.message, at: argumentStarts[1], code: .invalidValue)
                }
                return Resolved(resultType: .bool, metered: { a, v throws(EvaluationError) in
                    guard case .string(let s) = v[0] else { throw .overload("matches", v[0]) }
                    return .bool(try search(regex, in: s, a))
                })
            }
            return Resolved(resultType: .bool, metered: { a, v throws(EvaluationError) in
                guard case .string(let s) = v[0], case .string(let pattern) = v[1] else { throw .overload("matches", v[0], v[1]) }
                let regex = try RegularExpression(pattern)
                // Compiling costs as much as one pass of the automaton's states.
                try a.spend(regex.program.count)
                return .bool(try search(regex, in: s, a))
            })

        case "lowerAscii", "upperAscii", "trim":
            try arity(1...1)
            try expect(0, .string)
            return Resolved(resultType: .string) { v throws(EvaluationError) in
                guard case .string(let s) = v[0] else { throw .overload(name, v[0]) }
                switch name {
                // Byte by byte: an ASCII letter is one UTF-8 byte, even when a combining mark follows it.
                case "lowerAscii": return .string(String(decoding: s.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self))
                case "upperAscii": return .string(String(decoding: s.utf8.map { (0x61...0x7A).contains($0) ? $0 & ~0x20 : $0 }, as: UTF8.self))
                default: return .string(String(s.trimmingSpaces()))
                }
            }

        case "date":
            try arity(1...1)
            try expect(0, .string, .date)
            if let constant = constants[0], case .string(let text) = constant, LocalDate(parsing: text) == nil {
                throw ExpressionProblem("`\(text)` is not a date; write `2022-04-10`, `2022/4/10` or `2022年4月10日`",
                                        at: argumentStarts[0], code: .invalidValue)
            }
            return Resolved(resultType: .date) { v throws(EvaluationError) in
                switch v[0] {
                case .date: return v[0]
                case .string(let text):
                    guard let date = LocalDate(parsing: text) else {
                        throw EvaluationError(.invalidArgument, "`\(text)` is not a date")
                    }
                    return .date(date)
                default: throw .overload("date", v[0])
                }
            }

        case "year", "month", "day":
            try arity(1...1)
            try expect(0, .date)
            return Resolved(resultType: .number) { v throws(EvaluationError) in
                guard case .date(let d) = v[0] else { throw .overload(name, v[0]) }
                return .number(name == "year" ? d.year : name == "month" ? d.month : d.day)
            }

        case "days_between":
            try arity(2...2)
            try expect(0, .date)
            try expect(1, .date)
            return Resolved(resultType: .number) { v throws(EvaluationError) in
                guard case .date(let a) = v[0], case .date(let b) = v[1] else { throw .overload(name, v[0], v[1]) }
                return .number(b.daysSinceEpoch - a.daysSinceEpoch)
            }

        case "workdays_between":
            try arity(2...2)
            try expect(0, .date)
            try expect(1, .date)
            guard let calendar else {
                throw ExpressionProblem("`workdays_between` needs a working-day calendar, and the pack has none",
                                        at: offset, code: .unknownData, help: "add data/calendar.yaml to the pack")
            }
            return Resolved(resultType: .number) { v throws(EvaluationError) in
                guard case .date(let a) = v[0], case .date(let b) = v[1] else { throw .overload(name, v[0], v[1]) }
                guard let count = calendar.workdaysBetween(a, b) else {
                    let outside = calendar.contains(a) ? b : a
                    throw EvaluationError(.outsideCalendar,
                                          "\(outside) is outside the working-day calendar (\(calendar.firstYear)–\(calendar.lastYear))")
                }
                return .number(count)
            }

        case "add_days", "add_months":
            try arity(2...2)
            try expect(0, .date)
            try expect(1, .number)
            return Resolved(resultType: .date) { v throws(EvaluationError) in
                guard case .date(let d) = v[0], case .number(let n) = v[1] else { throw .overload(name, v[0], v[1]) }
                if name == "add_days" { return .date(try Operators.shift(d, by: n, name)) }
                guard let result = d.adding(months: try Operators.wholeNumber(n, name)) else {
                    throw EvaluationError(.invalidArgument, "`add_months` left the years 1–9999")
                }
                return .date(result)
            }

        case "min", "max":
            try arity(1...64)
            if types.count == 1 { try expect(0, .list(.dyn)) }
            let elementType: ValueType
            if types.count == 1, case .list(let element) = types[0] { elementType = element } else {
                elementType = types.dropFirst().reduce(types[0]) { $0.joined(with: $1) }
            }
            return Resolved(resultType: types.count == 1 ? elementType : elementType) { v throws(EvaluationError) in
                var values = v
                if v.count == 1 {
                    guard case .list(let items) = v[0] else { throw .overload(name, v[0]) }
                    guard !items.isEmpty else { throw EvaluationError(.invalidArgument, "`\(name)` of an empty list") }
                    values = items
                }
                var best = values[0]
                for candidate in values.dropFirst() {
                    let order = try Operators.compare(name, candidate, best)
                    if (name == "min" && order < 0) || (name == "max" && order > 0) { best = candidate }
                }
                return best
            }

        case "abs":
            try arity(1...1)
            try expect(0, .number)
            return Resolved(resultType: .number) { v throws(EvaluationError) in
                guard case .number(let n) = v[0] else { throw .overload("abs", v[0]) }
                return .number(n < 0 ? -n : n)
            }

        case "round":
            try arity(1...2)
            try expect(0, .number)
            if types.count == 2 { try expect(1, .number) }
            return Resolved(resultType: .number) { v throws(EvaluationError) in
                guard case .number(var n) = v[0] else { throw .overload("round", v[0]) }
                var places = 0
                if v.count == 2 {
                    guard case .number(let p) = v[1] else { throw .overload("round", v[1]) }
                    // A Decimal has no digit below 10^-128 nor above 10^165, so places beyond ±200 round
                    // the same as ±200; NSDecimalRound spins or traps on scales near Int.min.
                    places = min(max(try Operators.wholeNumber(p, "round"), -200), 200)
                }
                var result = Decimal()
                NSDecimalRound(&result, &n, places, .plain)
                return .number(result)
            }

        case "string":
            try arity(1...1)
            return Resolved(resultType: .string) { v throws(EvaluationError) in
                switch v[0] {
                case .string: return v[0]
                case .number(let n): return .string(ExactDecimal.description(of: n))
                case .bool(let b): return .string(b ? "true" : "false")
                case .date(let d): return .string(d.description)
                default: throw .overload("string", v[0])
                }
            }

        case "int", "number", "double":
            try arity(1...1)
            try expect(0, .number, .string)
            let truncate = name == "int"
            return Resolved(resultType: .number) { v throws(EvaluationError) in
                let n: Decimal
                switch v[0] {
                case .number(let value): n = value
                case .string(let text):
                    guard let parsed = NumberParser.plain(text) else {
                        throw EvaluationError(.invalidArgument, "`\(text)` is not a number")
                    }
                    n = parsed
                default: throw .overload(name, v[0])
                }
                return .number(truncate ? Operators.truncated(n) : n)
            }

        case "dyn":
            try arity(1...1)
            return Resolved(resultType: .dyn) { v in v[0] }

        default:
            throw ExpressionProblem("unknown function `\(name)`", at: offset, code: .unknownFunction,
                                    help: Suggestion.help(for: name, in: signatures.keys))
        }
    }
}
