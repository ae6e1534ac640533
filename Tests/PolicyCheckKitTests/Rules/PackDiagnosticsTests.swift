import Foundation
import PolicyCheckKit
import Testing

/// Broken packs: every problem is reported with its file, line and column, and the pack is not used.
@Suite("Pack diagnostics")
struct PackDiagnosticsTests {
    /// Edits one file of a copy of the bundled pack and compiles it.
    func compileEdited(_ relative: String, _ old: String, _ new: String) throws -> (PackCompilation, String) {
        let directory = try Fixtures.copyOfBundledPack()
        let file = directory + "/" + relative
        try Fixtures.replace(in: file, old, with: new)
        let compilation = PackCompiler.compile(directory: directory)
        try? FileManager.default.removeItem(atPath: directory)
        return (compilation, file)
    }

    static let rule = "rules/c09-decisions/SX-09-EXPERT-REVIEW.yaml"

    @Test("an unknown field in an expression is located at its column, with a suggestion")
    func unknownField() throws {
        let (compilation, file) = try compileEdited(Self.rule, "when: expert_review.required", "when: expert_review.requird")
        #expect(compilation.pack == nil)
        let diagnostic = try #require(compilation.diagnostics.first { $0.code == .unknownField })
        #expect(diagnostic.location?.file == file)
        #expect(diagnostic.location?.column == 21)  // `requird` after `when: expert_review.`
        #expect(diagnostic.help == "did you mean `required`?")
    }

    @Test("a syntax error inside an expression points into the YAML line")
    func syntaxError() throws {
        let (compilation, _) = try compileEdited(Self.rule, "when: expert_review.required", "when: expert_review.required &&")
        let diagnostic = try #require(compilation.diagnostics.first { $0.code == .expressionSyntax })
        #expect(diagnostic.location?.line == 12)
        #expect((diagnostic.location?.column ?? 0) > 30)
    }

    @Test("a type clash is a pack error")
    func typeClash() throws {
        let (compilation, _) = try compileEdited(Self.rule, "when: expert_review.required", "when: expert_review.required + 1")
        #expect(compilation.diagnostics.contains { $0.code == .typeMismatch })
        #expect(compilation.pack == nil)
    }

    @Test("unknown and duplicate keys, YAML 1.1 booleans and versions are errors")
    func strictYAML() throws {
        let (unknown, _) = try compileEdited(Self.rule, "severity: error", "severity: error\nseverty: error")
        #expect(unknown.diagnostics.contains { $0.code == .unknownKey && $0.help == "did you mean `severity`?" })

        let (duplicate, _) = try compileEdited(Self.rule, "severity: error", "severity: error\nseverity: warning")
        #expect(duplicate.diagnostics.contains { $0.code == .duplicateKey })

        let (yes, _) = try compileEdited(Self.rule, "severity: error", "severity: error\nenabled: yes")
        #expect(yes.diagnostics.contains { $0.code == .wrongKind && $0.message.contains("`true` or `false`") })

        let (version, _) = try compileEdited(Self.rule, "schema_version: 1", "schema_version: 2")
        #expect(version.diagnostics.contains { $0.code == .schemaVersion })
    }

    @Test("a rule naming a clause, parameter or record type that does not exist is located")
    func unknownReferences() throws {
        let (clause, _) = try compileEdited(Self.rule, "clause: （九）", "clause: （十八）")
        #expect(clause.diagnostics.contains { $0.code == .unknownClause })

        let (schema, _) = try compileEdited(Self.rule, "applies_to: decision", "applies_to: decisoin")
        #expect(schema.diagnostics.contains { $0.code == .unknownSchema && $0.help == "did you mean `decision`?" })

        let (parameter, _) = try compileEdited("rules/c09-decisions/SX-09-COMMENT-PERIOD.yaml",
                                               "params.public_comment_min_days", "params.public_coment_min_days")
        #expect(parameter.diagnostics.contains { $0.code == .unknownParameter })
    }

    @Test("every problem of a pack is collected, sorted by location")
    func collectsAll() throws {
        let directory = try Fixtures.copyOfBundledPack()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Fixtures.replace(in: directory + "/" + Self.rule, "applies_to: decision", with: "applies_to: nothing")
        try Fixtures.replace(in: directory + "/rules/c09-decisions/SX-09-COMMENT-PERIOD.yaml", "severity:", with: "severity: fatal\nx:")
        let compilation = PackCompiler.compile(directory: directory)
        #expect(compilation.diagnostics.filter { $0.severity == .error }.count >= 2)
        let locations = compilation.diagnostics.compactMap(\.location)
        #expect(locations == locations.sorted())
    }

    @Test("the renderer prints the source line and a caret under the column")
    func rendering() {
        let diagnostic = Diagnostic.error(.unknownField, "`a` has no field `b`", at: SourceLocation(file: "r.yaml", line: 2, column: 9))
        let text = DiagnosticRenderer { _ in "id: X\nrequire: a.b > 1\n" }.render(diagnostic)
        #expect(text == "r.yaml:2:9: error: `a` has no field `b` [unknown-field]\n  | require: a.b > 1\n  |         ^")
    }
}
