import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PolicyCheckKit

/// The bodies the server answers with: the report of DESIGN.md, and a small problem object for
/// requests that never reach a report (an unknown route, a missing token).
enum Responses {
    static let jsonType = "application/json; charset=utf-8"

    /// A report as `policycheck check --format json` prints it, with the outcome `fail_on` gives in headers.
    static func report(_ report: Report, pack: CompiledPack, status: HTTPResponse.Status, failOn: Severity,
                       language: Language = .zh) -> Response {
        let text: String
        do {
            text = try JSONFormatter().format(report, pack: pack, options: FormatOptions(language: language))
        } catch {
            return problem(.internalServerError, code: "internal", message: "the report could not be written: \(error)")
        }
        return Response(status: status, headers: headers(of: report, failOn: failOn), body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `report(_:pack:status:failOn:language:)` for the pack being served, with its content hash: a record that
    /// passes every rule is answered with the body and headers the pack wrote for it when it loaded.
    static func report(_ report: Report, served: ServedPack, status: HTTPResponse.Status, failOn: Severity,
                       language: Language) -> Response {
        if let body = served.passingReport(report, language: language) {
            return Response(status: status, headers: served.passingHeaders, body: ResponseBody(byteBuffer: body))
        }
        var response = self.report(report, pack: served.pack, status: status, failOn: failOn, language: language)
        response.headers[.policycheckPackHash] = served.contentHash
        return response
    }

    /// The headers of a report's answer: its type, and the exit code and outcome `fail_on` gives.
    static func headers(of report: Report, failOn: Severity) -> HTTPFields {
        var headers: HTTPFields = [.contentType: jsonType]
        let exitCode = report.exitCode(failOn: failOn)
        headers[.policycheckExitCode] = exitCode == 0 ? "0" : exitCode == 1 ? "1" : "2"
        headers[.policycheckOutcome] = exitCode == 0 ? "pass" : exitCode == 1 ? "fail" : "incomplete"
        return headers
    }

    /// A request problem in the report's shape: no records, one input error that says what and where.
    static func report(for problem: RequestProblem, served: ServedPack) -> Response {
        let pack = served.pack
        let report = Report(toolVersion: PolicyCheckVersion.current, packID: pack.manifest.id,
                            document: pack.manifest.document.number, recordCount: 0, findings: [],
                            inputErrors: [problem.diagnostic], inputWarnings: [])
        var response = self.report(report, pack: pack, status: problem.status, failOn: .error)
        response.headers.append(contentsOf: problem.headers)
        return response
    }

    /// `{"error": {"code", "message", "status"}}`, for answers that are not about records.
    static func problem(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) -> Response {
        let body = ProblemBody(error: .init(code: code, message: message, status: status.code))
        var all: HTTPFields = [.contentType: jsonType]
        all.append(contentsOf: headers)
        return Response(status: status, headers: all, body: ResponseBody(byteBuffer: ByteBuffer(bytes: encode(body))))
    }

    /// A JSON document of a `Codable` value: sorted keys, pretty-printed, as the CLI prints JSON.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: jsonType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: encode(value))))
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            return Array(#"{"error":{"code":"internal","message":"the answer could not be encoded","status":500}}"#.utf8)
        }
        return Array(data) + [0x0A]
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The body of a problem answer.
struct ProblemBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
        var status: Int
    }

    var error: Detail
}

extension HTTPField.Name {
    /// `0`, `1` or `2`: the exit code `policycheck check` would have given, with the request's `fail_on`.
    static let policycheckExitCode = HTTPField.Name("Policycheck-Exit-Code") ?? .contentLanguage
    /// `pass`, `fail` or `incomplete` (input errors): what a submission system acts on.
    static let policycheckOutcome = HTTPField.Name("Policycheck-Outcome") ?? .contentLanguage
    /// The content hash of the pack that answered.
    static let policycheckPackHash = HTTPField.Name("Policycheck-Pack-Hash") ?? .contentLanguage
}
