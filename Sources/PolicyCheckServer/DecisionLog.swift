import Foundation
import PolicyCheckKit

/// An append-only JSON-lines log of what was decided: one line per record checked, with the time,
/// the record, the pack's hash and the findings' rules and values, named fields masked.
///
/// Each line goes to the kernel in one `write(2)` as soon as the record is checked, so a line
/// that was answered survives the process being killed; nothing is buffered in the process.
public final class DecisionLog: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()
    private let maskedFields: Set<String>
    public let path: String

    /// Opens (or creates, mode 0600) the log for appending.
    public init(path: String, maskedFields: Set<String>) throws(DecisionLogError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DecisionLogError(message: "cannot open the decision log `\(path)`: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.path = path
        self.maskedFields = maskedFields
    }

    deinit {
        close(descriptor)
    }

    /// One line of the log.
    struct Entry: Encodable {
        struct RecordField: Encodable {
            var id: String
            var type: String
            var source: String
        }

        struct PackField: Encodable {
            var id: String
            var hash: String
        }

        struct FindingField: Encodable {
            var rule: String
            var severity: String
            var clause: String
            var kind: String
            var values: [String: JSONValue]
        }

        var time: String
        var route: String
        var record: RecordField
        var pack: PackField
        var findings: [FindingField]
        var inputErrors: Int
    }

    /// Writes one line per record of `records`, each with its findings.
    func write(records: [RecordReference], report: Report, served: ServedPack, route: String, at date: Date = Date()) {
        let time = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC") ?? .current,
                                               formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        var byLocation: [SourceLocation: [Finding]] = [:]
        for finding in report.findings {
            if let location = finding.record?.location { byLocation[location, default: []].append(finding) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines: [UInt8] = []
        for record in records {
            let findings = (byLocation[record.location] ?? []).map { finding in
                Entry.FindingField(rule: finding.ruleID, severity: finding.severity.rawValue, clause: finding.clause,
                                   kind: finding.kind.rawValue,
                                   values: Dictionary(finding.values.map { pair in
                                       (pair.path, maskedFields.contains(pair.path) ? JSONValue.string("***") : JSONValue(pair.value))
                                   }, uniquingKeysWith: { first, _ in first }))
            }
            let entry = Entry(time: time, route: route,
                              record: .init(id: maskedFields.contains("id") ? "***" : record.id, type: record.type,
                                            source: record.location.description),
                              pack: .init(id: served.pack.manifest.id, hash: served.contentHash),
                              findings: findings, inputErrors: report.inputErrors.count)
            guard let data = try? encoder.encode(entry) else { continue }
            lines += data
            lines.append(0x0A)
        }
        append(lines)
    }

    /// Appends bytes in one call under the lock, so lines of concurrent requests never interleave.
    private func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// The decision log could not be opened.
public struct DecisionLogError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
