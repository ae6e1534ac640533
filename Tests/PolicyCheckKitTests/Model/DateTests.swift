import PolicyCheckKit
import Testing

@Suite("Dates and the working-day calendar")
struct DateTests {
    @Test("the spellings of a date", arguments: ["2022-04-10", "2022/4/10", "2022.4.10", "20220410", "2022年4月10日", "２０２２年４月１０日"])
    func spellings(_ text: String) {
        #expect(LocalDate(parsing: text) == LocalDate(year: 2022, month: 4, day: 10))
    }

    @Test("not dates", arguments: ["2022-02-30", "2022-13-01", "22-4-10", "2022年4月10", "tomorrow", "2022-04-10x", ""])
    func notDates(_ text: String) {
        #expect(LocalDate(parsing: text) == nil)
    }

    @Test("round trip through days since 1970 for every day of 1999–2030")
    func roundTrip() throws {
        var day = try #require(LocalDate(year: 1999, month: 1, day: 1))
        let end = try #require(LocalDate(year: 2030, month: 12, day: 31))
        while day <= end {
            let (y, m, d) = day.components
            #expect(LocalDate(year: y, month: m, day: d) == day)
            day = day.adding(days: 1)
        }
    }

    @Test("a date prints as YYYY-MM-DD, zero-padded, and as Y年M月D日, from the first day of year 1 to the last of 9999")
    func printed() throws {
        func reference(_ date: LocalDate) -> String {
            let (y, m, d) = date.components
            func padded(_ value: Int, _ width: Int) -> String {
                String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
            }
            return "\(padded(y, 4))-\(padded(m, 2))-\(padded(d, 2))"
        }
        var day = try #require(LocalDate(year: 1, month: 1, day: 1))
        let end = try #require(LocalDate(year: 9999, month: 12, day: 31))
        var checked = 0
        while day <= end {
            #expect(day.description == reference(day))
            let (y, m, d) = day.components
            #expect(day.chineseDescription == "\(y)年\(m)月\(d)日")
            day = LocalDate(daysSinceEpoch: day.daysSinceEpoch + 997)
            checked += 1
        }
        #expect(end.description == "9999-12-31")
        #expect(try #require(LocalDate(year: 2022, month: 4, day: 10)).description == "2022-04-10")
        #expect(checked > 3600)
    }

    @Test("add_months keeps the day or falls to the month's last day (民法典 Art 202)")
    func addMonths() {
        #expect(LocalDate(year: 2024, month: 1, day: 31)?.adding(months: 1) == LocalDate(year: 2024, month: 2, day: 29))
        #expect(LocalDate(year: 2023, month: 1, day: 31)?.adding(months: 1) == LocalDate(year: 2023, month: 2, day: 28))
        #expect(LocalDate(year: 2022, month: 11, day: 15)?.adding(months: 3) == LocalDate(year: 2023, month: 2, day: 15))
        #expect(LocalDate(year: 2022, month: 3, day: 31)?.adding(months: -1) == LocalDate(year: 2022, month: 2, day: 28))
    }

    @Test("working days follow the holidays and 调休 of the pack's calendar")
    func workdays() throws {
        let calendar = try #require(Fixtures.bundledPack.calendar)
        func d(_ text: String) -> LocalDate { LocalDate(parsing: text)! }
        #expect(calendar.workdaysBetween(d("2022-06-06"), d("2022-06-14")) == 6)
        #expect(calendar.workdaysBetween(d("2022-06-06"), d("2022-06-15")) == 7)
        #expect(calendar.isWorkday(d("2022-05-07")) == true)  // 调休 Saturday
        #expect(calendar.isWorkday(d("2022-10-03")) == false)  // 国庆
        #expect(calendar.workdaysBetween(d("2022-09-30"), d("2022-10-10")) == 3)
        #expect(calendar.workdaysBetween(d("2022-06-15"), d("2022-06-06")) == -7)
        #expect(calendar.workdaysBetween(d("2019-12-31"), d("2020-01-02")) == nil)
    }
}
