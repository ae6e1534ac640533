import Foundation

/// Reads the numbers people write in spending records: `1,234.56`, `¥1,234`, `1.2万`, `１２３`, `300元`.
public enum NumberParser {
    /// Decimal points are `.` whatever the machine's locale; made once, as building a Locale is not free.
    static let posix = Locale(identifier: "en_US_POSIX")

    /// A plain decimal: optional sign, digits, optional fraction. No grouping, no units.
    public static func plain(_ text: some StringProtocol) -> Decimal? {
        let trimmed = text.trimmingSpaces()
        var sawDigit = false
        var sawPoint = false
        for (offset, character) in trimmed.enumerated() {
            switch character {
            case "0"..."9": sawDigit = true
            case "." where !sawPoint: sawPoint = true
            case "-" where offset == 0, "+" where offset == 0: break
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        return Decimal(string: String(trimmed), locale: NumberParser.posix)
    }

    /// An amount as finance exports write it; nil when the text is not a number.
    public static func amount(_ text: some StringProtocol) -> Decimal? {
        var cleaned = ""
        var multiplier: Decimal = 1
        var body = Substring(text.trimmingSpaces())
        if body.hasSuffix("元") { body = body.dropLast() }
        if body.hasSuffix("万") {
            multiplier = 10_000
            body = body.dropLast()
        } else if body.hasSuffix("亿") {
            multiplier = 100_000_000
            body = body.dropLast()
        }
        for character in body {
            if let digit = character.asciiDigitValue {
                cleaned.append(Character(String(digit)))
            } else {
                switch character {
                case ",", "，", " ", "\u{3000}", "¥", "￥": continue
                case ".", "．": cleaned.append(".")
                case "-", "－": cleaned.append("-")
                case "+": continue
                default: return nil
                }
            }
        }
        guard let value = plain(cleaned) else { return nil }
        return value * multiplier
    }
}
