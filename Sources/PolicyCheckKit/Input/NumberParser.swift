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

extension NumberParser {
    /// `amount` over UTF-8 bytes, without making a string: digits (ASCII or full-width), one point, a leading
    /// minus, grouping commas (`,` `，`), currency signs (`¥` `￥`), a trailing `元`, and `万` / `亿` scales.
    static func amount(bytes: UnsafeRawBufferPointer) -> Decimal? {
        var significand: UInt64 = 0
        var digits = 0, fraction = 0
        var negative = false, sawPoint = false, sawDigit = false
        var multiplier: Decimal = 1
        var i = 0
        let n = bytes.count
        func at(_ k: Int) -> UInt8 { k < n ? bytes[k] : 0 }
        while i < n {
            let b = bytes[i]
            switch b {
            case 0x30...0x39:
                guard digits < 18, multiplier == 1 else { return nil }
                significand = significand * 10 + UInt64(b - 0x30)
                digits += 1
                sawDigit = true
                if sawPoint { fraction += 1 }
                i += 1
            case 0x2E:  // .
                guard !sawPoint, multiplier == 1 else { return nil }
                sawPoint = true
                i += 1
            case 0x2D:  // -
                guard !sawDigit, !negative else { return nil }
                negative = true
                i += 1
            case 0x2C, 0x20, 0x2B:  // , space +
                i += 1
            case 0xC2 where at(i + 1) == 0xA5:  // ¥
                i += 2
            case 0xEF where at(i + 1) == 0xBC && (0x90...0x99).contains(at(i + 2)):  // ０-９
                guard digits < 18, multiplier == 1 else { return nil }
                significand = significand * 10 + UInt64(at(i + 2) - 0x90)
                digits += 1
                sawDigit = true
                if sawPoint { fraction += 1 }
                i += 3
            case 0xEF where at(i + 1) == 0xBC && at(i + 2) == 0x8E:  // ．
                guard !sawPoint else { return nil }
                sawPoint = true
                i += 3
            case 0xEF where at(i + 1) == 0xBC && at(i + 2) == 0x8C:  // ，
                i += 3
            case 0xEF where at(i + 1) == 0xBF && at(i + 2) == 0xA5:  // ￥
                i += 3
            case 0xE3 where at(i + 1) == 0x80 && at(i + 2) == 0x80:  // 全角空格
                i += 3
            case 0xE4 where at(i + 1) == 0xB8 && at(i + 2) == 0x87:  // 万
                guard sawDigit, multiplier == 1 else { return nil }
                multiplier = 10_000
                i += 3
            case 0xE4 where at(i + 1) == 0xBA && at(i + 2) == 0xBF:  // 亿
                guard sawDigit, multiplier == 1 else { return nil }
                multiplier = 100_000_000
                i += 3
            case 0xE5 where at(i + 1) == 0x85 && at(i + 2) == 0x83:  // 元, only at the end
                guard sawDigit, i + 3 == n else { return nil }
                i += 3
            default:
                return nil
            }
        }
        guard sawDigit else { return nil }
        let value = Decimal(sign: negative ? .minus : .plus, exponent: -fraction, significand: Decimal(significand))
        return multiplier == 1 ? value : value * multiplier
    }
}
