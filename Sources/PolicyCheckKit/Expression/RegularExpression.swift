/// A compiled regular expression for `matches`: a match anywhere in the string, as RE2's partial match.
///
/// Swift's Regex syntax is close to RE2's for the common patterns; see the README for differences.
struct RegularExpression: @unchecked Sendable {
    // Regex is immutable once built; it is not marked Sendable on every platform.
    private let regex: Regex<AnyRegexOutput>

    init(_ pattern: String) throws(EvaluationError) {
        do { regex = try Regex(pattern) } catch {
            throw EvaluationError(.invalidArgument, "invalid regular expression `\(pattern)`: \(error)")
        }
    }

    func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
