/// A calendar day with no time and no zone: what a record's 日期 means.
///
/// Stored as days since 1970-01-01 so comparison and `days_between` are integer
/// operations; conversion uses the proleptic Gregorian civil algorithms.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// Nil when the day does not exist (2023-02-29) or the year is outside 1..9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = era * 146_097 + doe - 719_468
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    /// ISO weekday: 1 is Monday, 7 is Sunday.
    public var weekday: Int {
        let w = (daysSinceEpoch + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The same day `months` later; the month's last day when that month is shorter
    /// (民法典 Art 202: a period ends on the corresponding day, or the last day of the month).
    public func adding(months: Int) -> LocalDate? {
        let (y, m, d) = components
        let (total, overflow) = (y * 12 + (m - 1)).addingReportingOverflow(months)
        guard !overflow else { return nil }
        let year = total >= 0 ? total / 12 : (total - 11) / 12
        let month = total - year * 12 + 1
        guard (1...9999).contains(year) else { return nil }
        return LocalDate(year: year, month: month, day: min(d, LocalDate.daysIn(month: month, year: year)))
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `2022-04-10`.
    public var description: String {
        let (y, m, d) = components
        guard (0...9999).contains(y) else { return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))" }
        // Ten ASCII bytes make a small string: no allocation, and none of the interpolation's formatting, which
        // cost more than the rest of a finding's JSON.
        var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            func digit(_ value: Int) -> UInt8 { UInt8(ascii: "0") + UInt8(value) }
            raw[0] = digit(y / 1000)
            raw[1] = digit(y / 100 % 10)
            raw[2] = digit(y / 10 % 10)
            raw[3] = digit(y % 10)
            raw[4] = UInt8(ascii: "-")
            raw[5] = digit(m / 10)
            raw[6] = digit(m % 10)
            raw[7] = UInt8(ascii: "-")
            raw[8] = digit(d / 10)
            raw[9] = digit(d % 10)
            return String(decoding: UnsafeRawBufferPointer(raw), as: UTF8.self)
        }
    }

    /// `2022年4月10日`.
    public var chineseDescription: String {
        var bytes: [UInt8] = []
        appendChineseDescription(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `chineseDescription`'s UTF-8 bytes, written from the digits: messages print many dates, and the
    /// interpolation cost more than the rest of the message.
    func appendChineseDescription(to bytes: inout [UInt8]) {
        let (y, m, d) = components
        func number(_ value: Int) { ExactDecimal.forEachDigit(of: value) { bytes.append($0) } }
        number(y)
        bytes.append(contentsOf: [0xE5, 0xB9, 0xB4])  // 年
        number(m)
        bytes.append(contentsOf: [0xE6, 0x9C, 0x88])  // 月
        number(d)
        bytes.append(contentsOf: [0xE6, 0x97, 0xA5])  // 日
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// Reads `2022-04-10`, `2022/4/10`, `2022.4.10`, `20220410` and `2022年4月10日`,
    /// with full-width digits allowed; surrounding spaces are ignored.
    public init?(parsing text: some StringProtocol) {
        var numbers: [Int] = []
        var current = -1
        var separators: [Character] = []
        var digitsInCurrent = 0
        for character in text.trimmingSpaces() {
            if let digit = character.asciiDigitValue {
                current = (current < 0 ? 0 : current) * 10 + digit
                digitsInCurrent += 1
                if digitsInCurrent > 8 { return nil }
            } else {
                guard current >= 0 else { return nil }
                numbers.append(current)
                separators.append(character)
                current = -1
                digitsInCurrent = 0
            }
        }
        if current >= 0 { numbers.append(current) }
        if numbers.count == 1, digitsInCurrent == 8, separators.isEmpty {
            let n = numbers[0]
            numbers = [n / 10000, n / 100 % 100, n % 100]
        }
        guard numbers.count == 3 else { return nil }
        switch separators {
        case ["-", "-"], ["/", "/"], [".", "."], ["年", "月"], ["年", "月", "日"]: break
        case []: break
        default: return nil
        }
        if separators.count == 2, separators[0] == "年" { return nil }  // 2022年4月10 without 日
        guard numbers[0] >= 1000 else { return nil }
        self.init(year: numbers[0], month: numbers[1], day: numbers[2])
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

extension Character {
    /// 0–9 for ASCII and full-width digits, nil otherwise.
    var asciiDigitValue: Int? {
        guard let scalar = unicodeScalars.first, unicodeScalars.count == 1 else { return nil }
        switch scalar.value {
        case 0x30...0x39: return Int(scalar.value - 0x30)
        case 0xFF10...0xFF19: return Int(scalar.value - 0xFF10)
        default: return nil
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs, newlines and full-width spaces.
    func trimmingSpaces() -> Substring {
        let s = Substring(self)
        // Most text has none: known from its end bytes, without comparing characters.
        if !hasEdgeSpace { return s }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{3000}" || $0 == "\r\n" }
        guard let first = s.firstIndex(where: { !isSpace($0) }) else { return s[s.endIndex...] }
        let last = s.lastIndex(where: { !isSpace($0) }) ?? first
        return s[first...last]
    }

    /// Whether the text may start or end with a character `trimmingSpaces` removes, judged on its UTF-8 bytes.
    var hasEdgeSpace: Bool {
        utf8.withContiguousStorageIfAvailable { EdgeSpace.isPresent(in: UnsafeRawBufferPointer($0)) }
            ?? Array(utf8).withUnsafeBytes(EdgeSpace.isPresent)
    }
}

/// The end bytes of the characters `trimmingSpaces` removes: each space, tab, line break or carriage return
/// is a byte of 20 or below, and U+3000 is E3 80 80.
enum EdgeSpace {
    static func isPresent(in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first <= 0x20 || last <= 0x20 { return true }
        let count = bytes.count
        if first == 0xE3, count >= 3, bytes[1] == 0x80, bytes[2] == 0x80 { return true }
        if last == 0x80, count >= 3, bytes[count - 3] == 0xE3, bytes[count - 2] == 0x80 { return true }
        return false
    }
}

extension LocalDate {
    /// `LocalDate(parsing:)` over UTF-8 bytes for the common spellings — `2022-04-10`, `2022/4/10`, `2022.4.10`,
    /// `20220410`, `2022年4月10日` — without making a string; nil for anything else (the caller then tries the full parser).
    static func parse(bytes: UnsafeRawBufferPointer) -> LocalDate? {
        let n = bytes.count
        var i = 0
        func number(maxDigits: Int) -> Int? {
            var value = 0, count = 0
            while i < n, count < maxDigits, (0x30...0x39).contains(bytes[i]) {
                value = value * 10 + Int(bytes[i] - 0x30)
                i += 1
                count += 1
            }
            return count == 0 ? nil : value
        }
        if n == 8, bytes.allSatisfy({ (0x30...0x39).contains($0) }) {
            guard let all = number(maxDigits: 8) else { return nil }
            return LocalDate(year: all / 10000, month: all / 100 % 100, day: all % 100)
        }
        guard let year = number(maxDigits: 4), i == 4, i < n else { return nil }
        let chinese = bytes[i] == 0xE5 && i + 2 < n && bytes[i + 1] == 0xB9 && bytes[i + 2] == 0xB4  // 年
        let separator = bytes[i]
        if chinese { i += 3 } else {
            guard separator == 0x2D || separator == 0x2F || separator == 0x2E else { return nil }
            i += 1
        }
        guard let month = number(maxDigits: 2), i < n else { return nil }
        if chinese {
            guard i + 2 < n, bytes[i] == 0xE6, bytes[i + 1] == 0x9C, bytes[i + 2] == 0x88 else { return nil }  // 月
            i += 3
        } else {
            guard bytes[i] == separator else { return nil }
            i += 1
        }
        guard let day = number(maxDigits: 2) else { return nil }
        if chinese {
            guard i + 3 == n, bytes[i] == 0xE6, bytes[i + 1] == 0x97, bytes[i + 2] == 0xA5 else { return nil }  // 日
            i += 3
        }
        guard i == n else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }
}
