/// China's working days: Monday to Friday, less statutory holidays, plus the weekend days
/// made working days by 调休. Covers whole years; a day outside them is not guessed.
public struct WorkingDayCalendar: Sendable, Hashable {
    public let firstYear: Int
    public let lastYear: Int
    private let first: LocalDate
    /// `cumulative[i]` is the number of working days in `first ... first + i`.
    private let cumulative: [Int32]

    public init(firstYear: Int, lastYear: Int, holidays: Set<LocalDate>, workdays: Set<LocalDate>) {
        self.firstYear = firstYear
        self.lastYear = lastYear
        let first = LocalDate(year: firstYear, month: 1, day: 1) ?? LocalDate(daysSinceEpoch: 0)
        let last = LocalDate(year: lastYear, month: 12, day: 31) ?? first
        self.first = first
        var running: Int32 = 0
        var cumulative: [Int32] = []
        cumulative.reserveCapacity(last.daysSinceEpoch - first.daysSinceEpoch + 1)
        var day = first
        while day <= last {
            let working = workdays.contains(day) || (!day.isWeekend && !holidays.contains(day))
            if working { running += 1 }
            cumulative.append(running)
            day = day.adding(days: 1)
        }
        self.cumulative = cumulative
    }

    public func contains(_ date: LocalDate) -> Bool {
        let offset = date.daysSinceEpoch - first.daysSinceEpoch
        return offset >= 0 && offset < cumulative.count
    }

    public func isWorkday(_ date: LocalDate) -> Bool? {
        guard contains(date) else { return nil }
        let offset = date.daysSinceEpoch - first.daysSinceEpoch
        let before = offset == 0 ? 0 : cumulative[offset - 1]
        return cumulative[offset] > before
    }

    /// Working days after `start` up to and including `end`; negative when `end` is before `start`.
    /// Nil when either day is outside the calendar's years.
    /// - Complexity: O(1).
    public func workdaysBetween(_ start: LocalDate, _ end: LocalDate) -> Int? {
        guard contains(start), contains(end) else { return nil }
        let a = Int(cumulative[start.daysSinceEpoch - first.daysSinceEpoch])
        let b = Int(cumulative[end.daysSinceEpoch - first.daysSinceEpoch])
        return b - a
    }
}
