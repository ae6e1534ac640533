import Foundation
@testable import PolicyCheckKit

/// The types the generator writes expressions of. The set is small and closed so that every
/// expression it builds type-checks; absence is not a type (any optional field may read as null).
indirect enum GeneratedType: Hashable, Sendable {
    case number
    case string
    case bool
    case date
    /// Of `number`, `string` or `date`.
    case list(GeneratedType)
    /// String keys, number values.
    case map
    /// The schema's nested object, `detail`.
    case group

    /// The checker's type; `group` is the shape of the schema's nested object.
    func valueType(group: ObjectShape?) -> ValueType {
        switch self {
        case .number: .number
        case .string: .string
        case .bool: .bool
        case .date: .date
        case .list(let element): .list(element.valueType(group: group))
        case .map: .map(.string, .number)
        case .group: group.map { .object($0) } ?? .dyn
        }
    }
}

/// A random record type: its fields, the nested group's fields, and the pack parameters an expression may read.
struct GeneratedSchema {
    struct Field {
        var name: String
        var type: GeneratedType
        var isOptional: Bool
        /// Declared `integer`: records hold whole numbers only.
        var isWhole: Bool
    }

    var fields: [Field]
    var groupFields: [Field]
    var shape: ObjectShape
    var groupShape: ObjectShape
    /// `params.NAME`: the type and value; `.null` is a parameter left unconfigured.
    var parameters: [(name: String, type: GeneratedType, value: Value)]

    var environment: PlanningEnvironment {
        var constants: [String: PlanningEnvironment.Constant] = [:]
        for parameter in parameters {
            constants[parameter.name] = .init(type: parameter.type.valueType(group: groupShape), value: parameter.value)
        }
        return PlanningEnvironment(recordShape: shape, parameters: constants)
    }
}

/// A record of a `GeneratedSchema`: its field slots for the compiled evaluator, by name for the reference.
struct GeneratedRecord {
    var slots: [Value]
    var fieldsByName: [String: Value]
}

/// Writes random well-typed expressions, and records that fit their schema, from one seed.
///
/// The values lean towards the places evaluators go wrong: absent fields, zeros under a division,
/// empty lists and maps, whole numbers at the edge of 64 bits, dates at the ends of the calendar,
/// strings with combining marks, full-width spaces and quotes. Every tree is one the parser could
/// have produced (a negative number is a literal, never `-` applied to one), so it also serves the
/// print-and-parse round trip.
struct ExpressionGenerator {
    private(set) var random: SplitMix64
    let schema: GeneratedSchema
    /// Macro variables in scope, innermost last.
    private var scope: [(name: String, type: GeneratedType)] = []

    init(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        schema = Self.makeSchema(&random)
        self.random = random
    }

    // MARK: - Schema and records

    private static let fieldNames: [GeneratedType: [String]] = [
        .number: ["amount", "total", "quantity", "budget"],
        .string: ["title", "category", "unit", "note"],
        .bool: ["approved", "urgent"],
        .date: ["start_date", "due_date", "paid_on"],
        .list(.number): ["amounts", "scores"],
        .list(.string): ["tags", "aliases"],
        .list(.date): ["holidays"],
        .map: ["limits", "counts"],
    ]

    private static func makeSchema(_ random: inout SplitMix64) -> GeneratedSchema {
        func field(_ name: String, _ type: GeneratedType) -> GeneratedSchema.Field {
            .init(name: name, type: type, isOptional: random.chance(60), isWhole: type == .number && random.chance(40))
        }
        var fields: [GeneratedSchema.Field] = []
        for type in [GeneratedType.number, .string, .bool, .date, .list(.number), .list(.string), .list(.date), .map] {
            guard let names = fieldNames[type] else { continue }
            let count = random.int(in: type == .number || type == .string ? 1...2 : 0...1)
            for name in names.shuffled(using: &random).prefix(count) { fields.append(field(name, type)) }
        }
        let groupFields = [field("qty", .number), field("label", .string), field("ok", .bool), field("on", .date)]
            .filter { _ in random.chance(75) }
        let groupShape = ObjectShape(name: "detail", fields: groupFields.map { ($0.name, $0.type.valueType(group: nil)) })
        if !groupFields.isEmpty, random.chance(70) {
            fields.append(.init(name: "detail", type: .group, isOptional: random.chance(60), isWhole: false))
        }
        fields.shuffle(using: &random)
        let shape = ObjectShape(name: "expense", fields: fields.map { ($0.name, $0.type.valueType(group: groupShape)) })
        var schema = GeneratedSchema(fields: fields, groupFields: groupFields, shape: shape, groupShape: groupShape,
                                     parameters: [])
        schema.parameters = [
            ("rate", .number, ValueSource.number(whole: false, using: &random)),
            ("names", .list(.string), ValueSource.value(of: .list(.string), schema: schema, whole: false, using: &random)),
            ("caps", .map, ValueSource.value(of: .map, schema: schema, whole: false, using: &random)),
            ("ceiling", .number, random.chance(50) ? .null : ValueSource.number(whole: true, using: &random)),
        ]
        return schema
    }

    mutating func record() -> GeneratedRecord {
        var slots: [Value] = []
        var byName: [String: Value] = [:]
        for field in schema.fields {
            let value = field.isOptional && random.chance(30)
                ? Value.null : ValueSource.value(of: field.type, schema: schema, whole: field.isWhole, using: &random)
            slots.append(value)
            byName[field.name] = value
        }
        return GeneratedRecord(slots: slots, fieldsByName: byName)
    }

    // MARK: - Expressions

    /// An expression as a rule holds one: mostly a condition, sometimes a value for a message or a measure.
    mutating func ruleExpression() -> Expr {
        let type = random.pick([GeneratedType.bool, .bool, .bool, .number, .number, .string, .date, .list(.number),
                                .list(.string), .map])
        return expression(type, depth: random.int(in: 1...4))
    }

    /// A random expression of `type`, at most `depth` operators deep.
    mutating func expression(_ type: GeneratedType, depth: Int) -> Expr {
        if depth <= 0 || random.chance(20) { return leaf(type) }
        let d = depth - 1
        switch type {
        case .number: return number(d)
        case .string: return string(d)
        case .bool: return bool(d)
        case .date: return date(d)
        case .list(let element): return list(element, d)
        case .map: return map(d)
        case .group: return leaf(type)
        }
    }

    private func node(_ kind: Expr.Kind) -> Expr { Expr(kind, start: 0, end: 0) }

    private func call(_ name: String, _ arguments: [Expr]) -> Expr { node(.call(name, target: nil, arguments)) }

    /// `f(a, b)` or `a.f(b)`: the language accepts either spelling of every function.
    private mutating func function(_ name: String, _ arguments: [Expr]) -> Expr {
        if let first = arguments.first, random.chance(40) {
            return node(.call(name, target: first, Array(arguments.dropFirst())))
        }
        return call(name, arguments)
    }

    private func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr) -> Expr { node(.binary(op, left, right)) }

    private func literal(_ value: Value) -> Expr { node(.literal(value)) }

    private func identifier(_ name: String) -> Expr { node(.identifier(name)) }

    private mutating func conditional(_ type: GeneratedType, _ d: Int) -> Expr {
        node(.conditional(expression(.bool, depth: d), expression(type, depth: d), expression(type, depth: d)))
    }

    /// A reference to something of `type` already there: a macro variable, a field, a group field, a parameter.
    private func references(_ type: GeneratedType) -> [Expr] {
        var visible: [String: GeneratedType] = [:]
        for variable in scope { visible[variable.name] = variable.type }  // an inner name hides an outer one
        var found = visible.filter { $0.value == type }.keys.sorted().map { identifier($0) }
        let shadowed = Set(visible.keys)
        for field in schema.fields where field.type == type && !shadowed.contains(field.name) {
            found.append(identifier(field.name))
        }
        if schema.fields.contains(where: { $0.type == .group }), !shadowed.contains("detail") {
            for field in schema.groupFields where field.type == type {
                found.append(node(.select(identifier("detail"), field.name, isPresenceTest: false)))
            }
        }
        for parameter in schema.parameters where parameter.type == type {
            found.append(node(.select(identifier("params"), parameter.name, isPresenceTest: false)))
        }
        return found
    }

    private mutating func leaf(_ type: GeneratedType) -> Expr {
        let found = references(type)
        if !found.isEmpty, random.chance(65) { return random.pick(found) }
        switch type {
        case .number: return literal(ValueSource.number(whole: random.chance(60), using: &random))
        case .string: return literal(.string(ValueSource.string(using: &random)))
        case .bool: return literal(.bool(random.chance(50)))
        case .date:
            let text = random.pick(ValueSource.dateSpellings(of: ValueSource.writtenDate(using: &random)))
            return random.chance(80) ? call("date", [literal(.string(text))])
                : node(.call("date", target: literal(.string(text)), []))
        case .list(let element):
            return node(.list((0..<random.int(in: 0...3)).map { _ in leaf(element) }))
        case .map:
            return mapLiteral(values: (0..<random.int(in: 0...3)).map { _ in
                literal(ValueSource.number(whole: true, using: &random))
            })
        case .group:
            return found.first ?? literal(.null)
        }
    }

    private mutating func mapLiteral(values: [Expr]) -> Expr {
        // Keys may repeat: a repeated key is an evaluation error both evaluators must report.
        node(.map(values.map { Expr.MapEntry(key: literal(.string(random.pick(ValueSource.mapKeys))), value: $0) }))
    }

    /// Mostly a small whole number, sometimes a fraction or a negative one, so indexes go out of range or are not whole.
    private mutating func indexExpression(_ d: Int) -> Expr {
        random.chance(70) ? literal(.number(Decimal(random.pick([0, 0, 1, 2, 3, -1])))) :
            random.chance(50) ? literal(.number(Decimal(string: "0.5") ?? 0)) : expression(.number, depth: d)
    }

    private mutating func number(_ d: Int) -> Expr {
        switch random.int(in: 0...13) {
        case 0, 1:
            return binary(random.pick([.add, .subtract, .multiply, .divide, .remainder]),
                          expression(.number, depth: d), expression(.number, depth: d))
        case 2:
            let operand = expression(.number, depth: d)
            if case .literal(.number(let n)) = operand.kind { return literal(.number(-n)) }
            return node(.unary(.negate, operand))
        case 3:
            let sized = random.pick([GeneratedType.string, .list(.number), .list(.string), .map])
            return function("size", [expression(sized, depth: d)])
        case 4, 5:
            return shared(.number, d)
        case 6:
            let map = expression(.map, depth: d)
            let key = random.pick(ValueSource.mapKeys)
            switch random.int(in: 0...2) {
            case 0: return node(.select(map, key, isPresenceTest: false))
            case 1: return node(.index(map, literal(.string(key))))
            default: return node(.index(map, expression(.string, depth: d)))
            }
        case 7:
            return function(random.pick(["year", "month", "day"]), [expression(.date, depth: d)])
        case 8:
            let a = expression(.date, depth: d), b = expression(.date, depth: d)
            return random.chance(50) ? function("days_between", [a, b]) : binary(.subtract, a, b)
        case 9:
            let operand = expression(.number, depth: d)
            switch random.int(in: 0...3) {
            case 0: return function("int", [operand])
            case 1: return function("abs", [operand])
            case 2: return function("round", [operand])
            default: return function("round", [operand, literal(.number(Decimal(random.int(in: -2...3))))])
            }
        case 10:
            return shared(.number, d)
        case 11:
            return call("dyn", [expression(.number, depth: d)])
        case 12:
            return function(random.pick(["int", "number", "double"]), [expression(.string, depth: d)])
        default:
            return leaf(.number)
        }
    }

    /// The forms a number, a string and a date share: a conditional, a list's element, the least or greatest of several.
    private mutating func shared(_ type: GeneratedType, _ d: Int) -> Expr {
        switch random.int(in: 0...2) {
        case 0: return conditional(type, d)
        case 1: return node(.index(expression(.list(type), depth: d), indexExpression(d)))
        default: return extremum(type, d)
        }
    }

    /// `min`/`max` of two or three arguments, or of one list.
    private mutating func extremum(_ type: GeneratedType, _ d: Int) -> Expr {
        let name = random.pick(["min", "max"])
        if type != .bool, random.chance(40) { return function(name, [expression(.list(type), depth: d)]) }
        return call(name, (0..<random.int(in: 2...3)).map { _ in expression(type, depth: d) })
    }

    private mutating func string(_ d: Int) -> Expr {
        switch random.int(in: 0...6) {
        case 0, 1:
            return binary(.add, expression(.string, depth: d), expression(.string, depth: d))
        case 2:
            return function(random.pick(["lowerAscii", "upperAscii", "trim"]), [expression(.string, depth: d)])
        case 3:
            let type = random.pick([GeneratedType.number, .bool, .date, .string])
            return function("string", [expression(type, depth: d)])
        default:
            return shared(.string, d)
        }
    }

    private static let patterns = ["^a", "b$", "[0-9]", "^$", "ab|AB", "中", "\\d+", "^[A-D]", "ß"]

    private mutating func bool(_ d: Int) -> Expr {
        switch random.int(in: 0...13) {
        case 0:
            return node(.unary(.not, expression(.bool, depth: d)))
        case 1, 2:
            return binary(random.pick([.and, .or]), expression(.bool, depth: d), expression(.bool, depth: d))
        case 3:
            let op: BinaryOperator = random.pick([.equal, .notEqual])
            if random.chance(20) {
                let type = random.pick([GeneratedType.number, .string, .date, .group, .list(.number), .map])
                let found = references(type)
                if !found.isEmpty { return binary(op, random.pick(found), literal(.null)) }
            }
            let type = random.pick([GeneratedType.number, .string, .bool, .date, .list(.number), .list(.string), .map])
            return binary(op, expression(type, depth: d), expression(type, depth: d))
        case 4:
            let type = random.pick([GeneratedType.number, .string, .date, .bool])
            return binary(random.pick([.less, .lessOrEqual, .greater, .greaterOrEqual]),
                          expression(type, depth: d), expression(type, depth: d))
        case 5:
            let type = random.pick([GeneratedType.number, .string, .date])
            let element = expression(type, depth: d)
            if random.chance(25) {
                // Nine or more constants: the planner tests membership in a set built once.
                let items = (0..<random.int(in: 9...11)).map { _ in literalLeaf(type) }
                return binary(.in, element, node(.list(items)))
            }
            return binary(.in, element, expression(.list(type), depth: d))
        case 6:
            return binary(.in, expression(.string, depth: d), expression(.map, depth: d))
        case 7:
            return presenceTest(d)
        case 8:
            return function(random.pick(["contains", "startsWith", "endsWith"]),
                            [expression(.string, depth: d), expression(.string, depth: d)])
        case 9:
            return function("matches", [expression(.string, depth: d), literal(.string(random.pick(Self.patterns)))])
        case 10, 11:
            return predicateMacro(d)
        case 12:
            return conditional(.bool, d)
        default:
            return leaf(.bool)
        }
    }

    private mutating func literalLeaf(_ type: GeneratedType) -> Expr {
        switch type {
        case .number: return literal(ValueSource.number(whole: true, using: &random))
        case .string: return literal(.string(ValueSource.string(using: &random)))
        default: return call("date", [literal(.string(ValueSource.writtenDate(using: &random).description))])
        }
    }

    /// `has(field)`, `has(detail.f)`, `has(map.key)` or `has(params.p)`.
    private mutating func presenceTest(_ d: Int) -> Expr {
        let shadowed = Set(scope.map(\.name))
        switch random.int(in: 0...3) {
        case 0:
            let visible = schema.fields.filter { !shadowed.contains($0.name) }
            if let field = visible.isEmpty ? nil : random.pick(visible) {
                return call("has", [identifier(field.name)])
            }
        case 1:
            if schema.fields.contains(where: { $0.type == .group }), !shadowed.contains("detail"), !schema.groupFields.isEmpty {
                return node(.select(identifier("detail"), random.pick(schema.groupFields).name, isPresenceTest: true))
            }
        case 2:
            return node(.select(identifier("params"), random.pick(schema.parameters).name, isPresenceTest: true))
        default:
            break
        }
        return node(.select(expression(.map, depth: d), random.pick(ValueSource.mapKeys), isPresenceTest: true))
    }

    private static let variableNames = ["x", "y", "z"]

    /// Generates `body` with a macro variable of `type` in scope; the name may shadow an outer one.
    private mutating func withVariable(_ type: GeneratedType, _ body: (inout ExpressionGenerator) -> [Expr]) -> (String, [Expr]) {
        let name = random.pick(Self.variableNames)
        scope.append((name, type))
        defer { scope.removeLast() }
        return (name, body(&self))
    }

    /// A list or map to range over, and the type of its variable (a map's keys are strings).
    private mutating func range(_ d: Int) -> (Expr, GeneratedType) {
        if random.chance(20) { return (expression(.map, depth: d), .string) }
        let element = random.pick([GeneratedType.number, .string, .date])
        return (expression(.list(element), depth: d), element)
    }

    private mutating func predicateMacro(_ d: Int) -> Expr {
        let (target, element) = range(d)
        let (variable, body) = withVariable(element) { [$0.expression(.bool, depth: d)] }
        let name = random.pick(["all", "exists", "exists_one"])
        return node(.call(name, target: target, [identifier(variable)] + body))
    }

    private mutating func date(_ d: Int) -> Expr {
        switch random.int(in: 0...6) {
        case 0, 1:
            let date = expression(.date, depth: d), days = expression(.number, depth: d)
            switch random.int(in: 0...2) {
            case 0: return binary(.add, date, days)
            case 1: return binary(.add, days, date)
            default: return binary(.subtract, date, days)
            }
        case 2:
            return function(random.pick(["add_days", "add_months"]), [expression(.date, depth: d), expression(.number, depth: d)])
        case 3:
            // A string read at evaluation: a literal would be checked when the expression compiles.
            let strings = references(.string).filter { if case .select(let base, _, _) = $0.kind, case .identifier("params") = base.kind { false } else { true } }
            if let text = strings.isEmpty ? nil : random.pick(strings) { return function("date", [text]) }
            return call("date", [expression(.date, depth: d)])
        default:
            return shared(.date, d)
        }
    }

    private mutating func list(_ element: GeneratedType, _ d: Int) -> Expr {
        switch random.int(in: 0...6) {
        case 0:
            return binary(.add, expression(.list(element), depth: d), expression(.list(element), depth: d))
        case 1:
            let target = expression(.list(element), depth: d)
            let (variable, body) = withVariable(element) { [$0.expression(.bool, depth: d)] }
            return node(.call("filter", target: target, [identifier(variable)] + body))
        case 2, 3:
            let (target, from) = range(d)
            let filtered = random.chance(40)
            let (variable, body) = withVariable(from) { generator in
                (filtered ? [generator.expression(.bool, depth: d)] : []) + [generator.expression(element, depth: d)]
            }
            return node(.call("map", target: target, [identifier(variable)] + body))
        case 4:
            return conditional(.list(element), d)
        case 5:
            return node(.list((0..<random.int(in: 0...3)).map { _ in expression(element, depth: d) }))
        default:
            return leaf(.list(element))
        }
    }

    private mutating func map(_ d: Int) -> Expr {
        switch random.int(in: 0...2) {
        case 0:
            let values = (0..<random.int(in: 1...3)).map { _ in expression(.number, depth: d) }
            return mapLiteral(values: values)
        case 1:
            return conditional(.map, d)
        default:
            return leaf(.map)
        }
    }
}

/// Random values of the generated types, biased towards edge cases.
enum ValueSource {
    static let mapKeys = ["a", "b", "c"]

    private static let wholeNumbers: [Decimal] = [
        0, 0, 0, 1, -1, 2, 3, 7, 10, 100, 1_000_000, -2_147_483_648,
        Decimal(string: "9007199254740993") ?? 0, Decimal(Int64.max), Decimal(Int64.min), Decimal(string: "1e20") ?? 0,
    ]
    private static let fractions: [Decimal] = ["0.5", "-0.5", "0.1", "2.5", "-2.5", "1.005", "12345.678",
                                               "999999999999.99", "0.0001", "0.3333"].map { Decimal(string: $0) ?? 0 }

    static func number(whole: Bool, using random: inout SplitMix64) -> Value {
        if random.chance(50) { return .number(Decimal(random.int(in: -20...20))) }
        if whole || random.chance(40) { return .number(random.pick(wholeNumbers)) }
        return .number(random.pick(fractions))
    }

    private static let strings = [
        "", " ", "a", "ab", "b", "abc", "ABC", "Ab", "e\u{301}", "é", "E\u{301}cole", "Straße", "中文", "报销 ",
        "\u{3000}全角\u{3000}", " padded\t", "a'b", "back\\slash", "line\nbreak", "2022-04-10", "2022/4/10",
        "2022年4月10日", "2023-02-29", "20240229", "not a date", "🐱", "10", "-3.5", " 12.5 ", "+5", ".5", "1.", "1e3", "-", "0x1F", "\u{0}nul", "\u{200B}zero",
    ]
    // A combining mark only ever follows `e`/`E`, so a grapheme never starts with one or with a space.
    private static let pieces = ["a", "b", "A", "B", "e\u{301}", "E\u{301}", "é", " ", "ß", "中", "'", "\\", "1", "\t", "\u{3000}"]

    /// Spellings that differ by code points but not, or not always, by Swift's `Character`s: `é` and `e` + U+0301
    /// are equal characters, and `e` is not a prefix of `e` + U+0301 to `hasPrefix`.
    private static let lookalikes = ["e", "é", "e\u{301}", "E", "É", "E\u{301}", "ée", "e\u{301}e", "e\u{301}x", "xe", ""]

    static func string(using random: inout SplitMix64) -> String {
        if random.chance(30) { return random.pick(lookalikes) }
        if random.chance(40) { return random.pick(strings) }
        return (0..<random.int(in: 0...4)).map { _ in random.pick(pieces) }.joined()
    }

    private static let edgeDates = [LocalDate(year: 1, month: 1, day: 1), LocalDate(year: 9999, month: 12, day: 31),
                                    LocalDate(year: 2024, month: 2, day: 29), LocalDate(year: 2024, month: 1, day: 31),
                                    LocalDate(year: 2023, month: 12, day: 31)].compactMap { $0 }

    static func date(using random: inout SplitMix64) -> LocalDate {
        if random.chance(20) { return random.pick(edgeDates) }
        return LocalDate(daysSinceEpoch: random.int(in: 7300...23700))  // 1989 to 2034
    }

    /// A day `date()` can read from text: its reader takes four-digit years only.
    static func writtenDate(using random: inout SplitMix64) -> LocalDate {
        let day = date(using: &random)
        return day.year >= 1000 ? day : LocalDate(daysSinceEpoch: 0)
    }

    /// The spellings `date()` reads for one day.
    static func dateSpellings(of date: LocalDate) -> [String] {
        [date.description, "\(date.year)/\(date.month)/\(date.day)", date.chineseDescription]
    }

    static func value(of type: GeneratedType, schema: GeneratedSchema, whole: Bool, using random: inout SplitMix64) -> Value {
        switch type {
        case .number: return number(whole: whole, using: &random)
        case .string:
            if random.chance(15) { return .string(random.pick(dateSpellings(of: writtenDate(using: &random)))) }
            return .string(string(using: &random))
        case .bool: return .bool(random.chance(50))
        case .date: return .date(date(using: &random))
        case .list(let element):
            let count = random.chance(25) ? 0 : random.int(in: 1...4)
            return .list((0..<count).map { _ in value(of: element, schema: schema, whole: whole, using: &random) })
        case .map:
            var map = MapValue()
            for key in mapKeys where random.chance(50) { map[.string(key)] = number(whole: random.chance(50), using: &random) }
            return .map(map)
        case .group:
            var fields: [Value] = []
            for field in schema.groupFields {
                fields.append(field.isOptional && random.chance(35)
                    ? .null : value(of: field.type, schema: schema, whole: field.isWhole, using: &random))
            }
            return .object(ObjectValue(shape: schema.groupShape, fields: fields))
        }
    }
}
