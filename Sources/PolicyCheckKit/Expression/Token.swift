import Foundation

/// A lexical token of an expression, with its offsets (in Unicode scalars) in the expression text.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Decimal)
        case string(String)
        case identifier(String)
        case keyword(String)  // true false null in
        case punctuation(String)
        case end
    }

    var kind: Kind
    var start: Int
    var end: Int

    var text: String {
        switch kind {
        case .number(let value): "\(value)"
        case .string(let value): "'\(value)'"
        case .identifier(let name), .keyword(let name), .punctuation(let name): name
        case .end: "end of expression"
        }
    }
}
