/// The languages reports are written in. Chinese is the default: the document and its users are Chinese.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case zh
    case en
}

/// A text in Chinese and English.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public subscript(language: Language) -> String {
        switch language {
        case .zh: zh
        case .en: en
        }
    }
}
