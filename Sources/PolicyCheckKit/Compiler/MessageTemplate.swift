/// A message with `{{expression}}` placeholders, planned with the rule's other expressions.
struct MessageTemplate: Sendable {
    enum Segment: Sendable {
        /// Text as its UTF-8 bytes: a message is put together in bytes and made a string once.
        case text([UInt8])
        case expression(Evaluator)
    }

    let segments: [Segment]
    /// Bytes a rendered message is likely to need: its text and 32 per expression.
    let capacityHint: Int

    init(segments: [Segment]) {
        self.segments = segments
        capacityHint = Self.capacityHint(segments)
    }

    private static func capacityHint(_ segments: [Segment]) -> Int {
        segments.reduce(0) { total, segment in
            switch segment {
            case .text(let text): total + text.count
            case .expression: total + 32
            }
        }
    }

    /// The message for the record in the activation; a placeholder that cannot be evaluated shows `?`.
    func render(_ activation: Activation, language: Language) -> String {
        var out: [UInt8] = []
        // Room for the text and a short value per expression. Appending strings and values' strings to a string
        // cost more than evaluating the placeholders.
        out.reserveCapacity(capacityHint)
        for segment in segments {
            switch segment {
            case .text(let text): out.append(contentsOf: text)
            case .expression(let evaluate):
                if let value = try? evaluate(activation) {
                    ValueFormatter.append(value, language: language, to: &out)
                } else {
                    out.append(UInt8(ascii: "?"))
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits `text` at `{{` and `}}`; the offsets of each expression in `text` come back with it.
    static func split(_ text: String) -> [(isExpression: Bool, text: String, offset: Int)]? {
        let scalars = Array(text.unicodeScalars)
        var parts: [(Bool, String, Int)] = []
        var literal = String.UnicodeScalarView()
        var index = 0
        var literalStart = 0
        while index < scalars.count {
            if scalars[index] == "{", index + 1 < scalars.count, scalars[index + 1] == "{" {
                guard let close = (index + 2..<max(index + 2, scalars.count - 1)).first(where: { scalars[$0] == "}" && scalars[$0 + 1] == "}" }) else {
                    return nil
                }
                if !literal.isEmpty { parts.append((false, String(literal), literalStart)) }
                literal = String.UnicodeScalarView()
                parts.append((true, String(String.UnicodeScalarView(scalars[(index + 2)..<close])), index + 2))
                index = close + 2
                literalStart = index
            } else {
                literal.append(scalars[index])
                index += 1
            }
        }
        if !literal.isEmpty { parts.append((false, String(literal), literalStart)) }
        return parts
    }
}

/// How values appear in messages and text reports: dates as 2022年4月16日 in Chinese, lists joined with 、.
public enum ValueFormatter {
    public static func display(_ value: Value, language: Language) -> String {
        switch value {
        case .null: return language == .zh ? "（空）" : "(none)"
        case .bool(let b): return language == .zh ? (b ? "是" : "否") : (b ? "yes" : "no")
        case .number(let n): return ExactDecimal.description(of: n)
        case .string(let s): return s
        case .date(let d): return language == .zh ? d.chineseDescription : d.description
        case .list(let items): return items.map { display($0, language: language) }.joined(separator: language == .zh ? "、" : ", ")
        case .map, .object: return value.literalDescription
        }
    }

    /// `display`'s UTF-8 bytes appended to `out`, numbers and Chinese dates written from their digits.
    static func append(_ value: Value, language: Language, to out: inout [UInt8]) {
        switch value {
        case .number(let n): ExactDecimal.append(n, to: &out)
        case .string(let s): out.append(contentsOf: s.utf8)
        case .date(let d) where language == .zh: d.appendChineseDescription(to: &out)
        default: out.append(contentsOf: display(value, language: language).utf8)
        }
    }
}
