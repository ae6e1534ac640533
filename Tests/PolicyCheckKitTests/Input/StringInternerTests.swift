import Testing
@testable import PolicyCheckKit

@Suite("a column's strings found again by their bytes")
struct StringInternerTests {
    func lookUp(_ interner: StringInterner, _ text: String) -> String? {
        Array(text.utf8).withUnsafeBytes { interner.string(for: $0) }
    }

    func remember(_ interner: StringInterner, _ text: String) {
        Array(text.utf8).withUnsafeBytes { interner.remember($0, as: text) }
    }

    @Test("a string comes back for exactly its bytes, through the table's growth")
    func exactBytes() {
        let interner = StringInterner(limit: 1000)
        let units = (0..<300).map { "绍兴市第\($0)局" }
        for unit in units { remember(interner, unit) }
        for unit in units { #expect(lookUp(interner, unit) == unit) }
        #expect(lookUp(interner, "绍兴市第1") == nil)
        #expect(lookUp(interner, "绍兴市第1局 ") == nil)
        #expect(lookUp(interner, "") == nil)
        remember(interner, "")
        #expect(lookUp(interner, "") == "")
    }

    @Test("a column of mostly distinct values stops being interned at the limit")
    func limit() {
        let interner = StringInterner(limit: 10)
        for number in 0..<11 { remember(interner, "CL-\(number)") }
        #expect(interner.isFull)
        #expect(lookUp(interner, "CL-1") == nil)
    }
}
