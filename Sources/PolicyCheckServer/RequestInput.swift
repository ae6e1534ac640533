import HTTPTypes
import Foundation
import Hummingbird
import NIOCore
import PolicyCheckKit

/// What a request body is, by its `Content-Type`.
enum BodyFormat: Sendable, Equatable {
    case json
    case yaml
    case csv
    case jsonLines
    case xlsx

    /// The pseudo-file name locations are reported against (`request.json:3:7`).
    var fileName: String {
        switch self {
        case .json: "request.json"
        case .yaml: "request.yaml"
        case .csv: "request.csv"
        case .jsonLines: "request.jsonl"
        case .xlsx: "request.xlsx"
        }
    }

    static let recordMediaTypes = ["application/json", "application/yaml", "application/x-yaml", "text/yaml"]
    static let batchMediaTypes = ["text/csv", "application/x-ndjson", "application/jsonl",
                                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]

    /// The format of a record body (`/v1/check`), or nil for a media type it does not take.
    static func record(contentType: String?) -> BodyFormat? {
        // What clients send, matched as it is before the general parse folds case and trims on every request.
        switch contentType {
        case "application/json", "application/json; charset=utf-8": return .json
        case "application/yaml", "application/yaml; charset=utf-8": return .yaml
        default: break
        }
        guard let (type, charset) = parse(contentType), charset == nil || charset == "utf-8" else { return nil }
        switch type {
        case "application/json": return .json
        case "application/yaml", "application/x-yaml", "text/yaml": return .yaml
        default: return type.hasPrefix("application/") && type.hasSuffix("+json") ? .json : nil
        }
    }

    /// The format of a batch upload (`/v1/audit`), or nil for a media type it does not take.
    static func batch(contentType: String?) -> BodyFormat? {
        guard let (type, _) = parse(contentType) else { return nil }
        switch type {
        case "text/csv": return .csv
        case "application/x-ndjson", "application/jsonl", "application/x-jsonlines": return .jsonLines
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": return .xlsx
        default: return nil
        }
    }

    /// The media type, lowercased, and the charset parameter if there is one.
    private static func parse(_ contentType: String?) -> (String, String?)? {
        guard let contentType else { return nil }
        let parts = contentType.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = parts.first else { return nil }
        let type = first.trimmingCharacters(in: .whitespaces).lowercased()
        var charset: String?
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" {
                charset = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
            }
        }
        return type.isEmpty ? nil : (type, charset)
    }
}

/// A request problem found before any record is read: its status and the diagnostic the body carries.
struct RequestProblem: Error, Sendable {
    var status: HTTPResponse.Status
    var diagnostic: Diagnostic
    var headers: HTTPFields = [:]

    static let requestStart = SourceLocation(file: "request", line: 1, column: 1)

    static func tooLarge(limit: Int) -> RequestProblem {
        RequestProblem(status: .contentTooLarge,
                       diagnostic: .error(.inputTooLarge, "the body is larger than the limit of \(limit) bytes", at: requestStart,
                                          help: "send fewer records at once, or ask the operator to raise --max-body"))
    }

    static func unsupportedMediaType(_ contentType: String?, accepted: [String]) -> RequestProblem {
        let found = contentType.map { "`\($0)`" } ?? "no content type"
        return RequestProblem(status: .unsupportedMediaType,
                              diagnostic: .error("unsupported-media-type", "the body is sent as \(found), which this endpoint does not read",
                                                 at: requestStart, help: "send one of \(accepted.joined(separator: ", "))"),
                              headers: [.accept: accepted.joined(separator: ", ")])
    }

    static func badQuery(_ message: String, help: String? = nil) -> RequestProblem {
        RequestProblem(status: .badRequest, diagnostic: .error(.usage, message, at: SourceLocation(file: "query", line: 1, column: 1), help: help))
    }
}

extension Request {
    /// The body, read up to `limit` bytes: a longer body is a 413 problem, without reading the rest.
    func collectBody(limit: Int) async throws(RequestProblem) -> ByteBuffer {
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            throw RequestProblem.tooLarge(limit: limit)
        }
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw RequestProblem.tooLarge(limit: limit)
        } catch {
            throw RequestProblem(status: .badRequest,
                                 diagnostic: .error(.fileUnreadable, "the body could not be read: \(error)", at: RequestProblem.requestStart))
        }
    }

    /// A query parameter, or nil when absent; an empty value is a value (`lang=` is not `zh`).
    func query(_ name: String) -> String? {
        uri.queryParameters[name[...]].map(String.init)
    }

    /// `lang`: zh (default) or en.
    func language() throws(RequestProblem) -> Language {
        guard let value = query("lang") else { return .zh }
        guard let language = Language(rawValue: value) else {
            throw RequestProblem.badQuery("`lang` is zh or en, found `\(value)`")
        }
        return language
    }

    /// `fail_on`: the lowest severity that makes the outcome `fail` (default error).
    func failOn() throws(RequestProblem) -> Severity {
        guard let value = query("fail_on") else { return .error }
        guard let severity = Severity(rawValue: value) else {
            throw RequestProblem.badQuery("`fail_on` is error, warning or info, found `\(value)`")
        }
        return severity
    }
}
