import Foundation
import Hummingbird
import NIOCore
import PolicyCheckKit

/// `POST /v1/check`: one record or a list, in JSON or YAML, checked against the pack in force;
/// the answer is the report of `policycheck check --format json`.
struct CheckRoutes: Sendable {
    let store: PackStore
    let configuration: ServerConfiguration
    let metrics: ServerMetrics
    let decisionLog: DecisionLog?

    func add(to router: Router<some RequestContext>) {
        router.post("/v1/check") { request, _ in await check(request) }
    }

    /// 200 whether or not there are findings; 400 when nothing in the body could be read as a record;
    /// 422 for an unknown record type; 413 over the size limit; 415 for a media type it does not read.
    func check(_ request: Request) async -> Response {
        let served = store.current
        do throws(RequestProblem) {
            let language = try request.language()
            let failOn = try request.failOn()
            guard let format = BodyFormat.record(contentType: request.headers[.contentType]) else {
                throw RequestProblem.unsupportedMediaType(request.headers[.contentType], accepted: BodyFormat.recordMediaTypes)
            }
            let body = try await request.collectBody(limit: configuration.maxBodyBytes)
            let check = RecordCheck(pack: served.pack, language: language)
            let report: Report
            // Most JSON bodies hold records with nothing to report: read from the bytes, never made one string.
            if format == .json, let direct = body.withUnsafeReadableBytes({ check.run(json: $0, file: format.fileName) }) {
                report = direct
            } else {
                let text = try Self.text(of: body, file: format.fileName)
                report = check.run([RecordCheck.Input(file: format.fileName, text: .success(text))])
            }
            metrics.recordReport(report)
            // Records without findings are logged too.
            decisionLog?.write(records: report.checkedRecords ?? [], report: report, served: served, route: "/v1/check")
            return Responses.report(report, served: served, status: Self.status(of: report), failOn: failOn, language: language)
        } catch {
            return Responses.report(for: error, served: served)
        }
    }

    /// 422 when a record names a type the pack does not have (or none); 400 when the body could not be
    /// parsed into records at all (a syntax error, not UTF-8, empty, not a record or a list of records);
    /// 200 otherwise — a record that does not fit its schema is an input error inside the report.
    static func status(of report: Report) -> HTTPResponse.Status {
        if report.inputErrors.contains(where: isRecordTypeProblem) { return .unprocessableContent }
        if report.recordCount == 0, report.inputErrors.contains(where: isUnparseable) { return .badRequest }
        return .ok
    }

    /// A record whose type is unknown, missing, or not a name (`type: {}`).
    static func isRecordTypeProblem(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.code == .unknownRecordType
            // DocumentRecordReader's word for a `type` that is not a scalar.
            || (diagnostic.code == .wrongKind && diagnostic.message.hasPrefix("`type` must name a record type"))
    }

    /// A problem with the body as a whole rather than with a record's fields.
    static func isUnparseable(_ diagnostic: Diagnostic) -> Bool {
        switch diagnostic.code {
        case .yamlSyntax, .jsonSyntax, .emptyFile, .inputTooLarge, "encoding", .fileUnreadable: true
        // DocumentRecordReader's word for a document or list item that is not a mapping.
        case .wrongKind: diagnostic.message.hasPrefix("expected a record")
        default: false
        }
    }

    /// The body as UTF-8 text without a byte-order mark (as `policycheck check` reads a file), or a 400 at the first
    /// byte that is not UTF-8.
    static func text(of body: ByteBuffer, file: String) throws(RequestProblem) -> String {
        switch body.withUnsafeReadableBytes({ TextDecoding.decode($0, as: .utf8, file: file) }) {
        case .success(let text):
            return text
        case .failure(var diagnostic):
            diagnostic.help = "send records as UTF-8 JSON or YAML"
            throw RequestProblem(status: .badRequest, diagnostic: diagnostic)
        }
    }
}
