import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import PolicyCheckKit
@testable import PolicyCheckServer
import Testing

@Suite("ServerAPITests")
struct ServerAPITests {
    let yaml: HTTPFields = [.contentType: "application/yaml"]
    let json: HTTPFields = [.contentType: "application/json"]

    @Test func healthAndReadiness() async throws {
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "ok")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(dig(response.json, "pack", "id") as? String == "shaoxing-2022-6")
                let hash = dig(response.json, "pack", "hash") as? String ?? ""
                #expect(hash.hasPrefix("sha256:") && hash.count == 71)
                #expect(hash == ServerFixtures.served.contentHash)
            }
        }
    }

    @Test func checkAnswersExactlyTheLibrarysReport() async throws {
        let text = try ServerFixtures.sample("bad-02-legality-review-late.yaml")
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, headers: yaml, body: ByteBuffer(string: text)) { response in
                #expect(response.status == .ok)
                let expected = try ServerFixtures.expectedReport(text, file: "request.yaml")
                #expect(response.text == expected)
                #expect(response.headers[.policycheckOutcome] == "fail")
                #expect(response.headers[.policycheckExitCode] == "1")
                #expect(dig(response.json, "violations", 0, "rule") as? String == "SX-09-LEGALITY-REVIEW")
                #expect(dig(response.json, "violations", 0, "record", "source", "file") as? String == "request.yaml")
            }
        }
    }

    @Test func everySampleMatchesTheLibrary() async throws {
        try await ServerFixtures.application().test(.router) { client in
            for name in ServerFixtures.sampleNames {
                let text = try ServerFixtures.sample(name)
                let isJSON = name.hasSuffix(".json")
                let file = isJSON ? "request.json" : "request.yaml"
                try await client.execute(uri: "/v1/check?lang=en", method: .post, headers: isJSON ? json : yaml,
                                         body: ByteBuffer(string: text)) { response in
                    #expect(response.status == .ok, "\(name)")
                    let expected = try ServerFixtures.expectedReport(text, file: file, language: .en)
                    #expect(response.text == expected, "\(name)")
                }
            }
        }
    }

    @Test func compliantRecordPasses() async throws {
        let text = try ServerFixtures.sample("ok-05-json.json")
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, headers: json, body: ByteBuffer(string: text)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.policycheckOutcome] == "pass")
                #expect(dig(response.json, "summary", "violations") as? Int == 0)
                #expect(dig(response.json, "summary", "records") as? Int == 1)
            }
        }
    }

    @Test func failOnWarningChangesTheOutcomeNotTheStatus() async throws {
        let text = try ServerFixtures.sample("bad-03-legality-review-time.yaml")
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, headers: yaml, body: ByteBuffer(string: text)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.policycheckOutcome] == "pass")
            }
            try await client.execute(uri: "/v1/check?fail_on=warning", method: .post, headers: yaml, body: ByteBuffer(string: text)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.policycheckOutcome] == "fail")
            }
        }
    }

    @Test func unparseableBodyIs400WithLocatedErrors() async throws {
        try await ServerFixtures.application().test(.router) { client in
            let body = "{\n  \"id\": \"D-1\",\n  \"type\": \"decision\",,\n}"
            try await client.execute(uri: "/v1/check", method: .post, headers: json, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                #expect(dig(response.json, "inputErrors", 0, "code") as? String == "json-syntax")
                #expect(dig(response.json, "inputErrors", 0, "file") as? String == "request.json")
                #expect(dig(response.json, "inputErrors", 0, "line") as? Int == 3)
                #expect(dig(response.json, "summary", "records") as? Int == 0)
                #expect(response.headers[.policycheckOutcome] == "incomplete")
            }
            try await client.execute(uri: "/v1/check", method: .post, headers: yaml, body: ByteBuffer(string: "a: [1, 2\nb: 3\n")) { response in
                #expect(response.status == .badRequest)
                #expect(dig(response.json, "inputErrors", 0, "code") as? String == "yaml-syntax")
                #expect(dig(response.json, "inputErrors", 0, "file") as? String == "request.yaml")
            }
            for body in ["", "\"just a string\"", "[1, 2]"] {
                try await client.execute(uri: "/v1/check", method: .post, headers: json, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                }
            }
            try await client.execute(uri: "/v1/check", method: .post, headers: json, body: ByteBuffer(bytes: [0x7B, 0xFF, 0xFE, 0x7D])) { response in
                #expect(response.status == .badRequest)
                #expect(dig(response.json, "inputErrors", 0, "code") as? String == "encoding")
            }
        }
    }

    @Test func unknownRecordTypeIs422() async throws {
        try await ServerFixtures.application().test(.router) { client in
            let body = "{\n  \"id\": \"D-1\",\n  \"type\": \"decisoin\"\n}"
            try await client.execute(uri: "/v1/check", method: .post, headers: json, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(dig(response.json, "inputErrors", 0, "code") as? String == "unknown-record-type")
                #expect(dig(response.json, "inputErrors", 0, "line") as? Int == 3)
                #expect(dig(response.json, "inputErrors", 0, "column") as? Int == 11)
                #expect((dig(response.json, "inputErrors", 0, "help") as? String)?.contains("decision") == true)
            }
        }
    }

    @Test func typeThatIsNotANameIs422() async throws {
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, headers: yaml, body: ByteBuffer(string: "- type: {}\n")) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }

    @Test func surrogatePairEscapesInJSONAreRead() async throws {
        // Python's json.dumps writes 😀 as "\ud83d\ude00": the body is read as the CLI reads a file, columns included.
        let body = #"{"type": "decision", "id": "D-\ud83d\ude00", "note\\ud83d": "\\ud83d\\ude00"}"#
        let expected = try ServerFixtures.expectedReport(body, file: "request.json")
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, headers: json, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                #expect(!response.text.contains("json-syntax"))
                #expect(response.text == expected)
            }
        }
    }

    @Test func recordThatDoesNotFitItsSchemaIs200WithInputErrors() async throws {
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, headers: json, body: ByteBuffer(string: #"{"type": "decision"}"#)) { response in
                #expect(response.status == .ok)
                #expect(dig(response.json, "inputErrors", 0, "code") as? String == "missing-field")
                #expect(response.headers[.policycheckOutcome] == "incomplete")
            }
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        let text = try ServerFixtures.sample("bad-02-legality-review-late.yaml")
        try await ServerFixtures.application(ServerConfiguration(maxBodyBytes: 256)).test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, headers: yaml, body: ByteBuffer(string: text)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(dig(response.json, "inputErrors", 0, "code") as? String == "input-too-large")
                #expect((dig(response.json, "inputErrors", 0, "message") as? String)?.contains("256") == true)
                #expect(dig(response.json, "inputErrors", 0, "file") as? String == "request")
            }
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await ServerFixtures.application().test(.router) { client in
            for type in ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"] {
                try await client.execute(uri: "/v1/check", method: .post, headers: [.contentType: type],
                                         body: ByteBuffer(string: "{}")) { response in
                    #expect(response.status == .unsupportedMediaType, "\(type)")
                    #expect(dig(response.json, "inputErrors", 0, "code") as? String == "unsupported-media-type")
                }
            }
            try await client.execute(uri: "/v1/check", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }

    @Test func badQueryParametersAre400() async throws {
        try await ServerFixtures.application().test(.router) { client in
            for query in ["lang=fr", "lang=", "fail_on=fatal"] {
                try await client.execute(uri: "/v1/check?\(query)", method: .post, headers: json, body: ByteBuffer(string: "{}")) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(dig(response.json, "inputErrors", 0, "code") as? String == "usage")
                }
            }
        }
    }

    @Test func englishMessages() async throws {
        let text = try ServerFixtures.sample("bad-02-legality-review-late.yaml")
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v1/check?lang=en", method: .post, headers: yaml, body: ByteBuffer(string: text)) { response in
                #expect((dig(response.json, "violations", 0, "message") as? String)?.contains("legality review") == true)
            }
        }
    }

    @Test func rulesCoverageAndSchemas() async throws {
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v1/rules", method: .get) { response in
                #expect(response.status == .ok)
                let rules = response.json["rules"] as? [[String: Any]] ?? []
                #expect(rules.count == ServerFixtures.served.pack.allRuleSummaries.count)
                #expect(rules.contains { $0["id"] as? String == "SX-09-LEGALITY-REVIEW" })
            }
            try await client.execute(uri: "/v1/rules/SX-09-LEGALITY-REVIEW", method: .get) { response in
                #expect(response.status == .ok)
                #expect(dig(response.json, "rule", "clause") as? String == "（九）")
                #expect((dig(response.json, "clauseText") as? String)?.isEmpty == false)
            }
            try await client.execute(uri: "/v1/rules/SX-09-LEGALITY-REVEIW", method: .get) { response in
                #expect(response.status == .notFound)
                #expect((dig(response.json, "error", "message") as? String)?.contains("SX-09-LEGALITY-REVIEW") == true)
            }
            try await client.execute(uri: "/v1/coverage", method: .get) { response in
                #expect((response.json["rows"] as? [Any])?.count == 17)
            }
            try await client.execute(uri: "/v1/schemas/decision", method: .get) { response in
                #expect(response.status == .ok)
                let fields = response.json["fields"] as? [[String: Any]] ?? []
                #expect(fields.contains { $0["name"] as? String == "deliberation" && ($0["fields"] as? [Any])?.isEmpty == false })
            }
        }
    }

    @Test func unknownRoutesAndMethods() async throws {
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v2/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(dig(response.json, "error", "code") as? String == "not-found")
            }
            try await client.execute(uri: "/v1/check", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
            try await client.execute(uri: "/v1/rules", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
            }
        }
    }

    @Test func bearerTokenGuardsTheAPIOnly() async throws {
        try await ServerFixtures.application(ServerConfiguration(bearerToken: "s3cret")).test(.router) { client in
            try await client.execute(uri: "/v1/rules", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            try await client.execute(uri: "/v1/rules", method: .get, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/rules", method: .get, headers: [.authorization: "Bearer s3cret"]) { response in
                #expect(response.status == .ok)
            }
            for open in ["/healthz", "/readyz", "/", "/openapi.yaml", "/metrics"] {
                try await client.execute(uri: open, method: .get) { response in
                    #expect(response.status == .ok, "\(open)")
                }
            }
        }
    }

    @Test func pageAndOpenAPI() async throws {
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("政策合规检查"))
                #expect(!response.text.contains("http://") && !response.text.contains("https://"))
            }
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.text.hasPrefix("openapi: 3.0.3"))
                #expect(response.text.contains("enum: [\"audit\""))
                #expect(!response.text.contains("__RECORD_TYPES__"))
            }
        }
    }

    @Test func metricsCountRequestsAndFindings() async throws {
        let text = try ServerFixtures.sample("bad-02-legality-review-late.yaml")
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, headers: yaml, body: ByteBuffer(string: text))
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let body = response.text
                #expect(body.contains(#"policycheck_http_requests_total{route="/v1/check",method="POST",status="200"} 1"#))
                #expect(body.contains(#"policycheck_findings_total{rule="SX-09-LEGALITY-REVIEW",severity="error"} 1"#))
                #expect(body.contains("policycheck_http_request_duration_seconds_bucket"))
            }
        }
    }

    @Test func auditTakesACSVUpload() async throws {
        let csv = try String(contentsOfFile: ServerFixtures.root + "/samples/spending/expenses-2022-2024.csv", encoding: .utf8)
        try await ServerFixtures.application().test(.router) { client in
            try await client.execute(uri: "/v1/audit", method: .post, headers: [.contentType: "text/csv"],
                                     body: ByteBuffer(string: csv)) { response in
                #expect(response.status == .ok)
                #expect((dig(response.json, "audit", "rowsRead") as? Int ?? 0) > 0)
                #expect(!response.text.contains(NSTemporaryDirectory()))
                #expect(!response.text.contains("policycheck-audit-"))
            }
            try await client.execute(uri: "/v1/audit", method: .post, headers: [.contentType: "text/csv"],
                                     body: ByteBuffer(string: "")) { response in
                #expect(dig(response.json, "inputErrors", 0, "file") as? String == "request.csv")
            }
            try await client.execute(uri: "/v1/audit", method: .post, headers: json, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }

    @Test func decisionLogWritesOneMaskedLinePerRecord() async throws {
        let path = NSTemporaryDirectory() + "policycheck-decisions-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try DecisionLog(path: path, maskedFields: ["title"])
        let text = try ServerFixtures.sample("batch-2024-q2.yaml")
        try await ServerFixtures.application(decisionLog: log).test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, headers: yaml, body: ByteBuffer(string: text))
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let entry = (try JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
            #expect(dig(entry, "pack", "hash") as? String == ServerFixtures.served.contentHash)
            #expect(entry["time"] is String)
            #expect((dig(entry, "record", "id") as? String)?.hasPrefix("D-") == true)
        }
        #expect(!lines.joined().contains("绍兴"), "titles are masked")
        #expect(lines.contains { $0.contains(#""title":"***""#) })
    }

    @Test func reloadRefusesABrokenPackAndKeepsTheOldOne() async throws {
        let copy = NSTemporaryDirectory() + "policycheck-pack-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: ServerFixtures.packPath, toPath: copy)
        let source = PackSource(directory: copy)
        guard case .success(let first) = source.load() else { Issue.record("the copied pack does not load"); return }
        let store = PackStore(first, source: source)
        #expect(first.contentHash == ServerFixtures.served.contentHash, "the hash does not depend on where the pack lies")
        let rule = copy + "/rules/c09-decisions/SX-09-LEGALITY-REVIEW.yaml"
        let original = try String(contentsOfFile: rule, encoding: .utf8)
        try original.replacingOccurrences(of: "require:", with: "require: no_such_name &&").write(toFile: rule, atomically: true, encoding: .utf8)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        guard case .failure(let failure) = store.reload(logger: logger) else { Issue.record("a broken pack was accepted"); return }
        #expect(failure.rendered.contains("no_such_name"))
        #expect(store.current.contentHash == first.contentHash)
        try (original + "\n# edited\n").write(toFile: rule, atomically: true, encoding: .utf8)
        guard case .success(let second) = store.reload(logger: logger) else { Issue.record("a good pack was refused"); return }
        #expect(second.contentHash != first.contentHash)
        #expect(store.current.contentHash == second.contentHash)
    }
}
