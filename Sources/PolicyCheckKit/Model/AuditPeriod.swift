/// The years an audit covers (`--period 2022..2024`), which rules read as `period`.
public struct AuditPeriod: Sendable, Hashable, CustomStringConvertible {
    public let startYear: Int
    public let endYear: Int

    public init?(startYear: Int, endYear: Int) {
        guard (1000...9999).contains(startYear), (1000...9999).contains(endYear), startYear <= endYear,
              endYear - startYear < 100 else { return nil }
        self.startYear = startYear
        self.endYear = endYear
    }

    /// `2023` or `2022..2024`.
    public init?(parsing text: String) {
        let parts = text.trimmingSpaces().components(separatedBy: "..")
        guard parts.count <= 2, let first = Int(parts[0].trimmingSpaces()) else { return nil }
        let last = parts.count == 2 ? Int(parts[1].trimmingSpaces()) : first
        guard let last else { return nil }
        self.init(startYear: first, endYear: last)
    }

    public var years: [Int] { Array(startYear...endYear) }

    public var description: String { startYear == endYear ? "\(startYear)" : "\(startYear)..\(endYear)" }

    /// The shape of `period` in expressions.
    public static let shape = ObjectShape(name: "period", fields: [
        ("years", .list(.number)), ("start", .date), ("end", .date), ("start_year", .number), ("end_year", .number),
    ])

    public var value: Value {
        .object(ObjectValue(shape: Self.shape, fields: [
            .list(years.map { Value.number($0) }),
            LocalDate(year: startYear, month: 1, day: 1).map(Value.date) ?? .null,
            LocalDate(year: endYear, month: 12, day: 31).map(Value.date) ?? .null,
            .number(startYear), .number(endYear),
        ]))
    }
}
