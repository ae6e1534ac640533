import Foundation
import PolicyCheckKit
import Testing

/// `.policycheck.yml`: the CI keys, located errors, and the starter `policycheck init` writes.
@Suite("configuration")
struct ConfigurationTests {
    @Test("waivers, baseline and formats load, their paths relative to the file")
    func gateKeys() {
        let text = """
            schema_version: 1
            fail_on: warning
            lang: en
            format: github
            waivers: ci/waivers.yaml
            baseline: ci/baseline.json
            formats:
              sarif: build/policycheck.sarif
              junit: build/junit.xml
            """
        let (configuration, diagnostics) = Configuration.load(file: "repo/.policycheck.yml", text: text)
        #expect(diagnostics.isEmpty)
        #expect(configuration.waivers?.value == "repo/ci/waivers.yaml")
        #expect(configuration.waivers?.location.line == 5)
        #expect(configuration.baseline?.value == "repo/ci/baseline.json")
        #expect(configuration.formats == [.init(format: "sarif", path: "repo/build/policycheck.sarif"),
                                          .init(format: "junit", path: "repo/build/junit.xml")])
        #expect(configuration.format == "github" && configuration.failOn == .warning && configuration.language == .en)
    }

    @Test("every key is validated with a located error")
    func errors() {
        let text = """
            schema_version: 2
            waivers: ""
            baseline: [a]
            formats:
              sarf: out.sarif
              junit: same.xml
              html: same.xml
            format: pdf
            failon: error
            """
        let (_, diagnostics) = Configuration.load(file: ".policycheck.yml", text: text)
        let rendered = diagnostics.map(\.description)
        #expect(rendered.contains(".policycheck.yml:1:17: error: unsupported `schema_version` 2 of the configuration [schema-version]"))
        #expect(rendered.contains(".policycheck.yml:2:10: error: `waivers` is an empty path [invalid-value]"))
        #expect(rendered.contains { $0.hasPrefix(".policycheck.yml:3:11: error: expected a string for `baseline`") })
        #expect(rendered.contains(".policycheck.yml:5:3: error: unknown format `sarf` [configuration]"))
        #expect(diagnostics.first { $0.message == "unknown format `sarf`" }?.help == "did you mean `sarif`?")
        #expect(rendered.contains(".policycheck.yml:7:9: error: two formats are written to `same.xml` [invalid-value]"))
        #expect(rendered.contains(".policycheck.yml:8:9: error: unknown format `pdf` [configuration]"))
        #expect(rendered.contains(".policycheck.yml:9:1: error: unknown key `failon` in the configuration [unknown-key]"))
        #expect(diagnostics.first { $0.code == .unknownKey }?.help == "did you mean `fail_on`?")
        let (_, list) = Configuration.load(file: ".policycheck.yml", text: "formats: [sarif]\n")
        #expect(list.map(\.description).contains { $0.hasPrefix(".policycheck.yml:1:10: error: expected `formats` as a mapping") })
    }

    @Test("the starter that `policycheck init` writes loads without error and documents every key")
    func starter() {
        let (configuration, diagnostics) = Configuration.load(file: ".policycheck.yml", text: ConfigurationTemplate.starter)
        #expect(diagnostics.map(\.description) == [])
        #expect(configuration.failOn == .error && configuration.language == .zh && configuration.format == "text")
        for key in Configuration.allowedKeys {
            #expect(ConfigurationTemplate.starter.contains("\n\(key):") || ConfigurationTemplate.starter.contains("\n# \(key):"),
                    "`\(key)` is not documented in the starter")
        }
        // Every commented-out example is valid too, once uncommented.
        // An example is `# key: value` (or an indented entry under one); prose starts with a capital.
        let example = /^# ( *[a-z_]+:( .*)?)$/
        let uncommented = ConfigurationTemplate.starter.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if let match = String(line).wholeMatch(of: example) { return String(match.1) }
            return String(line)
        }.joined(separator: "\n")
        let (full, problems) = Configuration.load(file: "repo/.policycheck.yml", text: uncommented)
        #expect(problems.map(\.description) == [])
        #expect(full.waivers?.value == "repo/waivers.yaml" && full.baseline != nil && full.formats.count == 3 && full.profile != nil)
        #expect(full.parameterOverrides.count == 2)
    }
}
