import Foundation
import Hummingbird
import NIOCore
import PolicyCheckKit

/// `POST /v1/audit`: a CSV, JSON Lines or XLSX batch of modest size, audited with the per-record and
/// aggregate rules. The upload goes to a private temporary file — the one place the server writes —
/// which is deleted when the audit ends.
struct AuditRoutes: Sendable {
    let store: PackStore
    let configuration: ServerConfiguration
    let metrics: ServerMetrics

    func add(to router: Router<some RequestContext>) {
        router.post("/v1/audit") { request, _ in await audit(request) }
    }

    func audit(_ request: Request) async -> Response {
        let served = store.current
        do throws(RequestProblem) {
            let language = try request.language()
            let failOn = try request.failOn()
            var period: AuditPeriod?
            if let text = request.query("period") {
                guard let parsed = Self.period(text) else {
                    throw RequestProblem.badQuery("`period` is a year or `2022..2024` (2000 to 2099), found `\(text)`")
                }
                period = parsed
            }
            let recordType = request.query("type")
            if let recordType, served.pack.schemas[recordType] == nil {
                throw RequestProblem(status: .unprocessableContent,
                                     diagnostic: .error(.unknownRecordType, "unknown record type `\(recordType)`",
                                                        at: SourceLocation(file: "query", line: 1, column: 1),
                                                        help: "types: \(served.recordTypes.joined(separator: ", "))"))
            }
            guard let format = BodyFormat.batch(contentType: request.headers[.contentType]) else {
                throw RequestProblem.unsupportedMediaType(request.headers[.contentType], accepted: BodyFormat.batchMediaTypes)
            }
            let body = try await request.collectBody(limit: configuration.maxAuditBytes)
            let options = AuditOptions(language: language, period: period, recordType: recordType, workers: 1)
            let report = try await Self.audit(body, format: format, pack: served.pack, options: options)
            metrics.recordReport(report)
            var response = Responses.report(report, pack: served.pack, status: Self.status(of: report),
                                            failOn: failOn, language: language)
            response.headers[.policycheckPackHash] = served.contentHash
            return response
        } catch {
            return Responses.report(for: error, served: served)
        }
    }

    /// 422 for a record-type problem; 400 when not one row could be read as a record (no header row, a
    /// header that fits no record type, not a table at all); 200 otherwise, input errors and all.
    static func status(of report: Report) -> HTTPResponse.Status {
        if report.inputErrors.contains(where: CheckRoutes.isRecordTypeProblem) { return .unprocessableContent }
        if report.recordCount == 0, !report.inputErrors.isEmpty { return .badRequest }
        return .ok
    }

    /// `2023` or `2022..2024`, years 2000–2099 as the OpenAPI pattern says; the two years in either order.
    static func period(_ text: String) -> AuditPeriod? {
        let years = text.components(separatedBy: "..")
        guard (1...2).contains(years.count),
              years.allSatisfy({ $0.count == 4 && $0.hasPrefix("20") && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        let numbers = years.compactMap { Int($0) }
        guard let first = numbers.min(), let last = numbers.max() else { return nil }
        return AuditPeriod(startYear: first, endYear: last)
    }

    /// Writes the upload to a file in a new mode-0700 folder, audits it off the request's executor, and removes both.
    static func audit(_ body: ByteBuffer, format: BodyFormat, pack: CompiledPack, options: AuditOptions) async throws(RequestProblem) -> Report {
        let template = (NSTemporaryDirectory() as NSString).appendingPathComponent("policycheck-audit-XXXXXX")
        var templateBytes = Array(template.utf8CString)
        guard let folderPointer = mkdtemp(&templateBytes) else {
            throw RequestProblem(status: .internalServerError,
                                 diagnostic: .error(.fileUnreadable, "the upload could not be stored for the audit", at: nil))
        }
        let folder = String(cString: folderPointer)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = (folder as NSString).appendingPathComponent(format.fileName)
        let data = Data(body.readableBytesView)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw RequestProblem(status: .internalServerError,
                                 diagnostic: .error(.fileUnreadable, "the upload could not be stored for the audit", at: nil))
        }
        let report = await withCheckedContinuation { (continuation: CheckedContinuation<Report, Never>) in
            DispatchQueue.global().async {
                continuation.resume(returning: AuditRun(pack: pack, options: options).run([path]))
            }
        }
        return renamed(report, from: path, to: format.fileName)
    }

    /// The report with the temporary path replaced by the pseudo-file name, so no server path leaks out.
    static func renamed(_ report: Report, from path: String, to name: String) -> Report {
        var report = report
        func fix(_ location: SourceLocation?) -> SourceLocation? {
            guard var location else { return nil }
            if location.file == path { location.file = name }
            return location
        }
        report.findings = report.findings.map { finding in
            var finding = finding
            if let record = finding.record, let location = fix(record.location) {
                finding.record = RecordReference(id: record.id, type: record.type, location: location)
            }
            finding.groupLocation = fix(finding.groupLocation)
            finding.message = finding.message.replacingOccurrences(of: path, with: name)
            return finding
        }
        func fixDiagnostic(_ diagnostic: Diagnostic) -> Diagnostic {
            var diagnostic = diagnostic
            diagnostic.location = fix(diagnostic.location)
            diagnostic.message = diagnostic.message.replacingOccurrences(of: path, with: name)
            diagnostic.help = diagnostic.help?.replacingOccurrences(of: path, with: name)
            return diagnostic
        }
        report.inputErrors = report.inputErrors.map(fixDiagnostic)
        report.inputWarnings = report.inputWarnings.map(fixDiagnostic)
        return report
    }
}
