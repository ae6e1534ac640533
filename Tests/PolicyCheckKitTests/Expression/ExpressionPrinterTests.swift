import Testing
@testable import PolicyCheckKit

@Suite("Expression printer")
struct ExpressionPrinterTests {
    @Test("parentheses appear only where precedence or associativity needs them", arguments: [
        ("(a + b) * c", "(a + b) * c"),
        ("a + (b * c)", "a + b * c"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("-(a * 2)", "-(a * 2)"),
        ("(-5).abs()", "(-5).abs()"),
        ("a - -5", "a - -5"),
        ("!(a && b) || c", "!(a && b) || c"),
        ("(a ? b : c) ? d : e", "(a ? b : c) ? d : e"),
        ("a ? b : (c ? d : e)", "a ? b : c ? d : e"),
        ("a ? (b ? c : d) : e", "a ? (b ? c : d) : e"),
        ("(x in l) == true", "x in l == true"),
        ("has(detail.qty) && has(title)", "has(detail.qty) && has(title)"),
        ("l.map(x, x > 0, x * 2)[0]", "l.map(x, x > 0, x * 2)[0]"),
        ("{'a': [1, 2.50], 'b': {}}", "{'a': [1, 2.5], 'b': {}}"),
    ])
    func minimalParentheses(_ source: String, _ printed: String) throws {
        #expect(ExpressionPrinter.source(of: try ExpressionParser.parse(source)) == printed)
    }

    @Test("strings are single-quoted with escapes a reader can see")
    func stringEscapes() throws {
        let source = #"'it\'s' + "a\\b\n\t" + '\u200B\x00' + '报销 é'"#
        #expect(ExpressionPrinter.source(of: try ExpressionParser.parse(source))
            == #"'it\'s' + 'a\\b\n\t' + '\u200B\x00' + '报销 é'"#)
    }

    @Test("numbers print as the exact decimals the lexer reads")
    func numbers() throws {
        #expect(ExpressionPrinter.source(of: try ExpressionParser.parse("[1e3, 0x1F, 1u, .5, -0.25, 1e-5]"))
            == "[1000, 31, 1, 0.5, -0.25, 0.00001]")
    }

    @Test("values print as the literals or calls that make them")
    func values() {
        let value = Value.list([.date(LocalDate(year: 2022, month: 4, day: 10) ?? LocalDate(daysSinceEpoch: 0)), .null, .bool(true),
                                .map(MapValue([(.string("k"), .number(-1))]))])
        #expect(ExpressionPrinter.source(of: value) == "[date('2022-04-10'), null, true, {'k': -1}]")
    }
}
