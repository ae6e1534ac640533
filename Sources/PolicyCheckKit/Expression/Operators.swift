import Foundation

/// The run-time meaning of CEL's operators over `Value`s, shared by compiled closures and constant folding.
enum Operators {
    static func add(_ l: Value, _ r: Value) throws(EvaluationError) -> Value {
        switch (l, r) {
        case let (.number(a), .number(b)): return .number(try sum(a, b))
        case let (.string(a), .string(b)): return .string(a + b)
        case let (.list(a), .list(b)): return .list(a + b)
        case let (.date(d), .number(n)), let (.number(n), .date(d)):
            return .date(try shift(d, by: n, "+"))
        default: throw .overload("+", l, r)
        }
    }

    static func subtract(_ l: Value, _ r: Value) throws(EvaluationError) -> Value {
        switch (l, r) {
        case let (.number(a), .number(b)): return .number(try difference(a, b))
        case let (.date(d), .number(n)): return .date(try shift(d, by: -n, "-"))
        case let (.date(a), .date(b)): return .number(a.daysSinceEpoch - b.daysSinceEpoch)
        default: throw .overload("-", l, r)
        }
    }

    static func multiply(_ l: Value, _ r: Value) throws(EvaluationError) -> Value {
        guard case let (.number(a), .number(b)) = (l, r) else { throw .overload("*", l, r) }
        return .number(try product(a, b))
    }

    /// `+`, `-` or `*` of two numbers, exactly, with an error past `Decimal`'s range; nil for another operator.
    /// The compiled `+ - *` call it first, before the overloads of other kinds of value.
    @inline(__always)
    static func numbers(_ op: BinaryOperator, _ a: Decimal, _ b: Decimal) throws(EvaluationError) -> Decimal? {
        switch op {
        case .add: try sum(a, b)
        case .subtract: try difference(a, b)
        case .multiply: try product(a, b)
        default: nil
        }
    }

    static func sum(_ a: Decimal, _ b: Decimal) throws(EvaluationError) -> Decimal { try inRange(ExactDecimal.sum(a, b), "+") }
    static func difference(_ a: Decimal, _ b: Decimal) throws(EvaluationError) -> Decimal { try inRange(ExactDecimal.difference(a, b), "-") }
    static func product(_ a: Decimal, _ b: Decimal) throws(EvaluationError) -> Decimal { try inRange(ExactDecimal.product(a, b), "*") }

    static func divide(_ l: Value, _ r: Value) throws(EvaluationError) -> Value {
        guard case let (.number(a), .number(b)) = (l, r) else { throw .overload("/", l, r) }
        guard !b.isZero else { throw EvaluationError(.divisionByZero, "division by zero") }
        return .number(try inRange(a / b, "/"))
    }

    static func remainder(_ l: Value, _ r: Value) throws(EvaluationError) -> Value {
        guard case let (.number(a), .number(b)) = (l, r) else { throw .overload("%", l, r) }
        guard !b.isZero else { throw EvaluationError(.divisionByZero, "division by zero (modulus)") }
        let quotient = try inRange(a / b, "%")
        return .number(ExactDecimal.difference(a, ExactDecimal.product(b, truncated(quotient))))
    }

    /// A result beyond `Decimal`'s range (about ±10^165) is NaN: an error, never a number in a report.
    @inline(__always)
    static func inRange(_ n: Decimal, _ op: String) throws(EvaluationError) -> Decimal {
        guard !n.isNaN else { throw EvaluationError(.limitExceeded, "the result of `\(op)` is beyond the range of numbers") }
        return n
    }

    static func negate(_ v: Value) throws(EvaluationError) -> Value {
        guard case .number(let n) = v else { throw .overload("-", v) }
        return .number(-n)
    }

    static func not(_ v: Value) throws(EvaluationError) -> Value {
        guard case .bool(let b) = v else { throw .overload("!", v) }
        return .bool(!b)
    }

    /// -1, 0 or 1; numbers, strings (by code point), dates and bools are ordered.
    static func compare(_ op: String, _ l: Value, _ r: Value) throws(EvaluationError) -> Int {
        switch (l, r) {
        case let (.number(a), .number(b)): return ExactDecimal.compare(a, b)
        case let (.date(a), .date(b)): return a < b ? -1 : (a == b ? 0 : 1)
        case let (.string(a), .string(b)):
            // UTF-8 bytes order as their code points do, so the bytes compare without decoding.
            if Value.sameScalars(a, b) { return 0 }
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        case let (.bool(a), .bool(b)): return a == b ? 0 : (!a ? -1 : 1)
        default: throw .overload(op, l, r)
        }
    }

    /// CEL's heterogeneous equality: values of different types are unequal, numbers compare by value.
    static func equals(_ l: Value, _ r: Value) -> Bool { l == r }

    static func contains(_ container: Value, _ element: Value) throws(EvaluationError) -> Bool {
        switch container {
        case .list(let items): return items.contains(element)
        case .map(let map): return map[element] != nil
        case .object(let object):
            guard case .string(let name) = element else { return false }
            return object[name].map { !$0.isNull } ?? false
        default: throw .overload("in", element, container)
        }
    }

    static func size(_ v: Value) throws(EvaluationError) -> Value {
        switch v {
        case .string(let s): return .number(s.unicodeScalars.count)  // code points, as CEL counts
        case .list(let items): return .number(items.count)
        case .map(let map): return .number(map.count)
        default: throw .overload("size", v)
        }
    }

    static func index(_ container: Value, _ key: Value) throws(EvaluationError) -> Value {
        switch (container, key) {
        case let (.list(items), .number(n)):
            let i = try wholeNumber(n, "[]")
            guard items.indices.contains(i) else {
                throw EvaluationError(.indexOutOfRange, "index out of range: \(i) of a list of \(items.count)")
            }
            return items[i]
        case let (.map(map), _):
            guard let value = map[key] else { throw EvaluationError(.noSuchKey, "no such key: \(key.literalDescription)") }
            return value
        case let (.object(object), .string(name)):
            guard let value = object[name] else { throw EvaluationError(.noSuchKey, "no such key: '\(name)'") }
            return value
        default:
            throw .overload("[]", container, key)
        }
    }

    private static let firstDay = LocalDate(year: 1, month: 1, day: 1)?.daysSinceEpoch ?? 0
    private static let lastDay = LocalDate(year: 9999, month: 12, day: 31)?.daysSinceEpoch ?? 0

    /// `d` moved by `n` days. Dates stay in the years 1–9999 that `add_months` and date parsing keep to,
    /// so a shift past them is an error, not a date no one can write nor an overflow trap.
    static func shift(_ d: LocalDate, by n: Decimal, _ op: String) throws(EvaluationError) -> LocalDate {
        let (day, overflow) = d.daysSinceEpoch.addingReportingOverflow(try wholeNumber(n, op))
        guard !overflow, (firstDay...lastDay).contains(day) else {
            throw EvaluationError(.invalidArgument, "`\(op)` left the years 1–9999")
        }
        return LocalDate(daysSinceEpoch: day)
    }

    static func wholeNumber(_ n: Decimal, _ op: String) throws(EvaluationError) -> Int {
        guard n == truncated(n), let i = Int(exactly: NSDecimalNumber(decimal: n).int64Value), Decimal(i) == n else {
            throw EvaluationError(.invalidArgument, "`\(op)` needs a whole number, found \(n)")
        }
        return i
    }

    static func truncated(_ n: Decimal) -> Decimal {
        var value = n
        var result = Decimal()
        NSDecimalRound(&result, &value, 0, n < 0 ? .up : .down)
        return result
    }
}

extension Value {
    /// The value as an expression literal would spell it: `'text'`, `3.5`, `date('2022-04-10')`.
    public var literalDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): ExactDecimal.description(of: n)
        case .string(let s): "'\(s)'"
        case .date(let d): "date('\(d)')"
        case .list(let items): "[" + items.map(\.literalDescription).joined(separator: ", ") + "]"
        case .map(let map):
            "{" + map.pairs.map { "\($0.key.literalDescription): \($0.value.literalDescription)" }.joined(separator: ", ") + "}"
        case .object(let object):
            "{" + zip(object.shape.fieldNames, object.fields).filter { !$0.1.isNull }
                .map { "\($0.0): \($0.1.literalDescription)" }.joined(separator: ", ") + "}"
        }
    }
}
