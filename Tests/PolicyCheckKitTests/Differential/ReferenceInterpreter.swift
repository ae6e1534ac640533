import Foundation
@testable import PolicyCheckKit

/// The expression language's meaning, written as plainly as possible to check the compiled evaluator against.
///
/// It walks the `Expr` tree with a record held by field name, looks every name up as it goes and
/// shares no code with `ExpressionPlanner`, `Operators` or `Builtins`: only `Value`, `Decimal`'s
/// arithmetic and `LocalDate`'s calendar conversions. Where the two disagree, one of them is wrong.
/// Errors are compared by kind (`EvaluationError.Kind`), not by message.
///
/// The semantics are the README's "expression language" section and CEL's where it says nothing:
/// an absent field reads as null and `a.b` of a null `a` is null; any other operator or function
/// applied to null fails as `absent`; `&&`, `||`, `all` and `exists` absorb an error when the other
/// operands decide the result; strings compare, measure and match by Unicode code points.
struct ReferenceInterpreter {
    /// Every field of the schema by name, `.null` where the record leaves it out.
    var fields: [String: Value]
    /// `params.NAME`; `.null` for a parameter that is not configured.
    var parameters: [String: Value]

    struct Failure: Error, Equatable {
        var kind: EvaluationError.Kind
        var detail: String

        init(_ kind: EvaluationError.Kind, _ detail: String) {
            self.kind = kind
            self.detail = detail
        }
    }

    func evaluate(_ expr: Expr) -> Result<Value, Failure> {
        do throws(Failure) { return .success(try eval(expr, [:])) } catch { return .failure(error) }
    }

    private typealias Scope = [String: Value]

    private func eval(_ expr: Expr, _ scope: Scope) throws(Failure) -> Value {
        switch expr.kind {
        case .literal(let value):
            return value
        case .identifier(let name):
            if let local = scope[name] { return local }
            if let field = fields[name] { return field }
            throw Failure(.noSuchKey, "unknown name \(name)")
        case let .select(operand, field, isPresenceTest):
            if case .identifier("params") = operand.kind, scope["params"] == nil, fields["params"] == nil {
                guard let value = parameters[field] else { throw Failure(.noSuchKey, "unknown parameter \(field)") }
                if isPresenceTest { return .bool(!value.isNull) }
                if value.isNull { throw Failure(.notConfigured, "parameter \(field)") }
                return value
            }
            return try select(try eval(operand, scope), field, isPresenceTest: isPresenceTest)
        case let .index(operand, key):
            return try index(try eval(operand, scope), try eval(key, scope))
        case let .call(name, target, arguments):
            return try call(name, target: target, arguments, scope)
        case .list(let items):
            var values: [Value] = []
            for item in items { values.append(try eval(item, scope)) }
            return .list(values)
        case .map(let entries):
            var pairs: [(Value, Value)] = []
            for entry in entries {
                let key = try eval(entry.key, scope)
                if pairs.contains(where: { Self.equal($0.0, key) }) { throw Failure(.invalidArgument, "duplicate key") }
                pairs.append((key, try eval(entry.value, scope)))
            }
            return .map(MapValue(pairs))
        case let .unary(op, operand):
            let value = try eval(operand, scope)
            switch (op, value) {
            case (_, .null): throw Failure(.absent, "operand of \(op.rawValue)")
            case (.not, .bool(let b)): return .bool(!b)
            case (.negate, .number(let n)): return .number(-n)
            default: throw Failure(.noSuchOverload, op.rawValue)
            }
        case let .binary(op, left, right):
            return try binary(op, left, right, scope)
        case let .conditional(condition, then, otherwise):
            switch try eval(condition, scope) {
            case .bool(true): return try eval(then, scope)
            case .bool(false): return try eval(otherwise, scope)
            case .null: throw Failure(.absent, "condition")
            default: throw Failure(.noSuchOverload, "?:")
            }
        }
    }

    private func select(_ base: Value, _ field: String, isPresenceTest: Bool) throws(Failure) -> Value {
        switch base {
        case .null:
            return isPresenceTest ? .bool(false) : .null
        case .object(let object):
            guard let value = object[field] else { throw Failure(.noSuchKey, field) }
            return isPresenceTest ? .bool(!value.isNull) : value
        case .map(let map):
            let value = Self.lookUp(.string(field), in: map)
            if isPresenceTest { return .bool(value != nil) }
            guard let value else { throw Failure(.noSuchKey, field) }
            return value
        default:
            throw Failure(.noSuchOverload, "." + field)
        }
    }

    private func index(_ base: Value, _ key: Value) throws(Failure) -> Value {
        switch (base, key) {
        case (.null, _), (_, .null):
            throw Failure(.absent, "operand of []")
        case let (.list(items), .number(n)):
            let i = try Self.whole(n)
            guard i >= 0, i < items.count else { throw Failure(.indexOutOfRange, "\(i)") }
            return items[i]
        case let (.map(map), _):
            guard let value = Self.lookUp(key, in: map) else { throw Failure(.noSuchKey, "\(key)") }
            return value
        default:
            throw Failure(.noSuchOverload, "[]")
        }
    }

    // MARK: - Operators

    private func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr, _ scope: Scope) throws(Failure) -> Value {
        if op == .and || op == .or {
            return try logical(op == .or, left, right, scope)
        }
        let l = try eval(left, scope)
        let r = try eval(right, scope)
        switch op {
        case .equal: return .bool(Self.equal(l, r))
        case .notEqual: return .bool(!Self.equal(l, r))
        case .in:
            switch r {
            case .null: throw Failure(.absent, "right of in")
            case .list(let items): return .bool(items.contains { Self.equal($0, l) })
            case .map(let map): return .bool(Self.lookUp(l, in: map) != nil)
            default: throw Failure(.noSuchOverload, "in")
            }
        default:
            break
        }
        if l.isNull || r.isNull { throw Failure(.absent, "operand of \(op.rawValue)") }
        switch op {
        case .less: return .bool(try Self.order(l, r) < 0)
        case .lessOrEqual: return .bool(try Self.order(l, r) <= 0)
        case .greater: return .bool(try Self.order(l, r) > 0)
        case .greaterOrEqual: return .bool(try Self.order(l, r) >= 0)
        default: return try arithmetic(op, l, r)
        }
    }

    /// `||` is true as soon as one side is true, `&&` false as soon as one side is false, whatever
    /// the other side does; otherwise the left side's error comes first.
    private func logical(_ isOr: Bool, _ left: Expr, _ right: Expr, _ scope: Scope) throws(Failure) -> Value {
        var failures: [Failure] = []
        for side in [left, right] {
            do throws(Failure) {
                switch try eval(side, scope) {
                case .bool(let b): if b == isOr { return .bool(b) }
                case .null: failures.append(Failure(.absent, "operand of logical operator"))
                default: failures.append(Failure(.noSuchOverload, isOr ? "||" : "&&"))
                }
            } catch {
                failures.append(error)
            }
        }
        if let first = failures.first { throw first }
        return .bool(!isOr)
    }

    private func arithmetic(_ op: BinaryOperator, _ l: Value, _ r: Value) throws(Failure) -> Value {
        switch (op, l, r) {
        case let (.add, .number(a), .number(b)): return .number(a + b)
        case let (.add, .string(a), .string(b)): return .string(a + b)
        case let (.add, .list(a), .list(b)): return .list(a + b)
        case let (.add, .date(d), .number(n)), let (.add, .number(n), .date(d)): return .date(try Self.shift(d, byDays: n))
        case let (.subtract, .number(a), .number(b)): return .number(a - b)
        case let (.subtract, .date(d), .number(n)): return .date(try Self.shift(d, byDays: -n))
        case let (.subtract, .date(a), .date(b)): return .number(Decimal(a.daysSinceEpoch - b.daysSinceEpoch))
        case let (.multiply, .number(a), .number(b)): return .number(a * b)
        case let (.divide, .number(a), .number(b)):
            if b == 0 { throw Failure(.divisionByZero, "/") }
            return .number(a / b)
        case let (.remainder, .number(a), .number(b)):
            if b == 0 { throw Failure(.divisionByZero, "%") }
            return .number(a - b * Self.truncated(a / b))
        default:
            throw Failure(.noSuchOverload, op.rawValue)
        }
    }

    // MARK: - Calls

    private static let macros: Set<String> = ["all", "exists", "exists_one", "map", "filter"]

    private func call(_ name: String, target: Expr?, _ arguments: [Expr], _ scope: Scope) throws(Failure) -> Value {
        if let target, Self.macros.contains(name), case .identifier(let variable)? = arguments.first?.kind {
            return try macro(name, try eval(target, scope), variable, Array(arguments.dropFirst()), scope)
        }
        if name == "has", target == nil, arguments.count == 1, case .identifier = arguments[0].kind {
            return .bool(!(try eval(arguments[0], scope)).isNull)
        }
        var values: [Value] = []
        if let target { values.append(try eval(target, scope)) }
        for argument in arguments { values.append(try eval(argument, scope)) }
        if name == "dyn" { return values[0] }
        if values.contains(where: \.isNull) { throw Failure(.absent, "argument of \(name)") }
        return try function(name, values)
    }

    /// A predicate's value, or why it has none.
    private func test(_ body: Expr, _ scope: Scope) throws(Failure) -> Bool {
        switch try eval(body, scope) {
        case .bool(let b): return b
        case .null: throw Failure(.absent, "predicate")
        default: throw Failure(.noSuchOverload, "predicate")
        }
    }

    private func macro(_ name: String, _ range: Value, _ variable: String, _ bodies: [Expr],
                       _ scope: Scope) throws(Failure) -> Value {
        let elements: [Value]
        switch range {
        case .list(let items): elements = items
        case .map(let map): elements = map.keys
        case .null: throw Failure(.absent, "range of \(name)")
        default: throw Failure(.noSuchOverload, name)
        }
        var inner = scope
        switch name {
        case "all", "exists":
            let deciding = name == "exists"
            var firstFailure: Failure?
            for element in elements {
                inner[variable] = element
                do throws(Failure) {
                    if try test(bodies[0], inner) == deciding { return .bool(deciding) }
                } catch {
                    if firstFailure == nil { firstFailure = error }
                }
            }
            if let firstFailure { throw firstFailure }
            return .bool(!deciding)
        case "exists_one":
            var count = 0
            for element in elements {
                inner[variable] = element
                if try test(bodies[0], inner) { count += 1 }
            }
            return .bool(count == 1)
        case "filter":
            var kept: [Value] = []
            for element in elements {
                inner[variable] = element
                if try test(bodies[0], inner) { kept.append(element) }
            }
            return .list(kept)
        default:
            var mapped: [Value] = []
            for element in elements {
                inner[variable] = element
                if bodies.count == 2, !(try test(bodies[0], inner)) { continue }
                mapped.append(try eval(bodies[bodies.count - 1], inner))
            }
            return .list(mapped)
        }
    }

    private func function(_ name: String, _ v: [Value]) throws(Failure) -> Value {
        switch (name, v.count) {
        case ("size", 1):
            switch v[0] {
            case .string(let s): return .number(Decimal(s.unicodeScalars.count))
            case .list(let items): return .number(Decimal(items.count))
            case .map(let map): return .number(Decimal(map.count))
            default: break
            }
        case ("contains", 2), ("startsWith", 2), ("endsWith", 2):
            guard case .string(let s) = v[0], case .string(let t) = v[1] else { break }
            let text = Array(s.unicodeScalars), part = Array(t.unicodeScalars)
            if part.count > text.count { return .bool(false) }
            switch name {
            case "startsWith": return .bool(Array(text[..<part.count]) == part)
            case "endsWith": return .bool(Array(text[(text.count - part.count)...]) == part)
            default:
                return .bool((0...(text.count - part.count)).contains { Array(text[$0..<($0 + part.count)]) == part })
            }
        case ("matches", 2):
            guard case .string(let s) = v[0], case .string(let pattern) = v[1] else { break }
            guard let regex = try? NSRegularExpression(pattern: pattern) else { throw Failure(.invalidArgument, pattern) }
            return .bool(regex.firstMatch(in: s, range: NSRange(location: 0, length: s.utf16.count)) != nil)
        case ("lowerAscii", 1), ("upperAscii", 1):
            guard case .string(let s) = v[0] else { break }
            let (from, shift): (ClosedRange<UInt32>, Int32) = name == "lowerAscii" ? (65...90, 32) : (97...122, -32)
            var result = String.UnicodeScalarView()
            for scalar in s.unicodeScalars {
                result.append(from.contains(scalar.value) ? Unicode.Scalar(UInt32(Int32(scalar.value) + shift)) ?? scalar : scalar)
            }
            return .string(String(result))
        case ("trim", 1):
            guard case .string(let s) = v[0] else { break }
            return .string(Self.trimmed(s))
        case ("date", 1):
            switch v[0] {
            case .date: return v[0]
            case .string(let text):
                guard let date = LocalDate(parsing: text) else { throw Failure(.invalidArgument, "not a date") }
                return .date(date)
            default: break
            }
        case ("year", 1), ("month", 1), ("day", 1):
            guard case .date(let d) = v[0] else { break }
            let (year, month, day) = d.components
            return .number(Decimal(name == "year" ? year : name == "month" ? month : day))
        case ("days_between", 2):
            guard case .date(let a) = v[0], case .date(let b) = v[1] else { break }
            return .number(Decimal(b.daysSinceEpoch - a.daysSinceEpoch))
        case ("add_days", 2):
            guard case .date(let d) = v[0], case .number(let n) = v[1] else { break }
            return .date(try Self.shift(d, byDays: n))
        case ("add_months", 2):
            guard case .date(let d) = v[0], case .number(let n) = v[1] else { break }
            return .date(try Self.shift(d, byMonths: n))
        case ("min", _), ("max", _):
            var candidates = v
            if v.count == 1 {
                guard case .list(let items) = v[0] else { break }
                if items.isEmpty { throw Failure(.invalidArgument, "\(name) of an empty list") }
                candidates = items
            }
            var best = candidates[0]
            for candidate in candidates.dropFirst() {
                let order = try Self.order(candidate, best)
                if name == "min" ? order < 0 : order > 0 { best = candidate }
            }
            return best
        case ("abs", 1):
            guard case .number(let n) = v[0] else { break }
            return .number(n < 0 ? -n : n)
        case ("round", 1), ("round", 2):
            guard case .number(let n) = v[0] else { break }
            var places = 0
            if v.count == 2 {
                guard case .number(let p) = v[1] else { break }
                places = try Self.whole(p)
            }
            return .number(Self.rounded(n, places: places))
        case ("int", 1), ("number", 1), ("double", 1):
            let n: Decimal
            switch v[0] {
            case .number(let value): n = value
            case .string(let text):
                guard let value = Self.plainNumber(text) else { throw Failure(.invalidArgument, "not a number") }
                n = value
            default: throw Failure(.noSuchOverload, name)
            }
            return .number(name == "int" ? Self.truncated(n) : n)
        case ("string", 1):
            switch v[0] {
            case .string: return v[0]
            case .number(let n): return .string("\(n)")
            case .bool(let b): return .string(b ? "true" : "false")
            case .date(let d): return .string(d.description)
            default: break
            }
        default:
            throw Failure(.noSuchKey, "unknown function \(name)")
        }
        throw Failure(.noSuchOverload, name)
    }

    // MARK: - Values

    /// CEL's equality: values of different types differ; numbers by value; strings by code points.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case let (.date(x), .date(y)): return x.daysSinceEpoch == y.daysSinceEpoch
        case let (.list(x), .list(y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case let (.map(x), .map(y)):
            return x.count == y.count && x.pairs.allSatisfy { pair in lookUp(pair.key, in: y).map { equal($0, pair.value) } ?? false }
        case let (.object(x), .object(y)):
            return x.shape === y.shape && zip(x.fields, y.fields).allSatisfy { equal($0, $1) }
        default: return false
        }
    }

    static func lookUp(_ key: Value, in map: MapValue) -> Value? {
        map.pairs.first { equal($0.key, key) }?.value
    }

    /// -1, 0 or 1 for two numbers, strings (code point by code point), dates or bools.
    static func order(_ a: Value, _ b: Value) throws(Failure) -> Int {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x == y ? 0 : 1 }
        switch (a, b) {
        case let (.number(x), .number(y)): return sign(x, y)
        case let (.date(x), .date(y)): return sign(x.daysSinceEpoch, y.daysSinceEpoch)
        case let (.bool(x), .bool(y)): return sign(x ? 1 : 0, y ? 1 : 0)
        case let (.string(x), .string(y)):
            for (p, q) in zip(x.unicodeScalars, y.unicodeScalars) where p != q { return p.value < q.value ? -1 : 1 }
            return sign(x.unicodeScalars.count, y.unicodeScalars.count)
        default: throw Failure(.noSuchOverload, "order")
        }
    }

    /// The integer a whole number spells, read from its digits; a fraction or an integer beyond 64 bits is not one.
    static func whole(_ n: Decimal) throws(Failure) -> Int {
        let digits = "\(n)"
        guard !digits.contains("."), let value = Int(digits) else { throw Failure(.invalidArgument, "\(n) is not whole") }
        return value
    }

    static func trimmed(_ s: String) -> String {
        let spaces: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "\u{3000}"]
        var scalars = Array(s.unicodeScalars)
        while let first = scalars.first, spaces.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, spaces.contains(last) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// A plain decimal between spaces, `-12.5` or `+3`: a sign first, digits with at most one point, nothing else.
    static func plainNumber(_ s: String) -> Decimal? {
        let text = trimmed(s)
        var body = Array(text.unicodeScalars)
        if body.first == "-" || body.first == "+" { body.removeFirst() }
        let isDigit = { (scalar: Unicode.Scalar) in ("0"..."9").contains(scalar) }
        guard body.contains(where: isDigit), body.allSatisfy({ isDigit($0) || $0 == "." }),
              body.filter({ $0 == "." }).count <= 1 else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Toward zero, by cutting the digits after the point.
    static func truncated(_ n: Decimal) -> Decimal {
        let digits = "\(n)"
        guard let point = digits.firstIndex(of: ".") else { return n }
        return Decimal(string: String(digits[..<point]), locale: Locale(identifier: "en_US_POSIX")) ?? n
    }

    /// Half away from zero at `places` decimal places (negative: tens, hundreds…).
    static func rounded(_ n: Decimal, places: Int) -> Decimal {
        var scale = Decimal(1)
        for _ in 0..<abs(places) { scale *= 10 }
        let magnitude = n < 0 ? -n : n
        let scaled = places >= 0 ? magnitude * scale : magnitude / scale
        var whole = truncated(scaled)
        if scaled - whole >= Decimal(string: "0.5") ?? 0 { whole += 1 }
        let result = places >= 0 ? whole / scale : whole * scale
        return n < 0 ? -result : result
    }

    private static let firstDay = LocalDate(year: 1, month: 1, day: 1)?.daysSinceEpoch ?? 0
    private static let lastDay = LocalDate(year: 9999, month: 12, day: 31)?.daysSinceEpoch ?? 0

    /// Dates live in the years 1 to 9999, like `LocalDate(year:month:day:)`; a shift past them is an error.
    static func shift(_ d: LocalDate, byDays n: Decimal) throws(Failure) -> LocalDate {
        let days = try whole(n)
        let (sum, overflow) = d.daysSinceEpoch.addingReportingOverflow(days)
        guard !overflow, (firstDay...lastDay).contains(sum) else { throw Failure(.invalidArgument, "date out of range") }
        return LocalDate(daysSinceEpoch: sum)
    }

    /// The same day `n` months on, or the month's last day when it is shorter.
    static func shift(_ d: LocalDate, byMonths n: Decimal) throws(Failure) -> LocalDate {
        let months = try whole(n)
        let (year, month, day) = d.components
        let (total, overflow) = (year * 12 + month - 1).addingReportingOverflow(months)
        guard !overflow else { throw Failure(.invalidArgument, "date out of range") }
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        let lastDay = [31, newYear % 4 == 0 && (newYear % 100 != 0 || newYear % 400 == 0) ? 29 : 28,
                       31, 30, 31, 30, 31, 31, 30, 31, 30, 31][newMonth - 1]
        guard let result = LocalDate(year: newYear, month: newMonth, day: min(day, lastDay)) else {
            throw Failure(.invalidArgument, "date out of range")
        }
        return result
    }
}
