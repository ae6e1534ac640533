import Foundation

/// The findings of an audit written out as they are found, so that a run over millions of rows
/// holds none of them in memory: each finding is kept as the bytes every streaming format asked
/// for will print for it, in a temporary file that is unlinked as soon as it is made (nothing is
/// left behind when the process is killed). Only counts stay in memory.
///
/// The spool is filled on one thread, in input order, and read after the run; the waivers and
/// baseline of a `ReportGate` are applied to each finding as it arrives.
public final class FindingSpool: @unchecked Sendable {
    /// One spooled finding in one format: where it points, its rule and its bytes.
    public struct Entry {
        public var location: SourceLocation
        public var ruleID: String
        public var fragment: ArraySlice<UInt8>
    }

    /// The findings of one input file, a contiguous run of the file.
    struct Segment {
        var file: String
        var start: Int
        var end: Int
    }

    /// The formats whose bytes are kept, in the order they are stored per entry.
    private let formats: [(formatter: any StreamingReportFormatter, options: FormatOptions)]
    private let pack: CompiledPack
    private var tally: GateTally?
    private let descriptor: Int32
    private var pending: [UInt8] = []
    private var flushed = 0
    private var segments: [Segment] = []
    private var failure: String?

    /// What the spooled findings count to.
    public struct Counts: Sendable {
        /// Findings spooled, and of them those a waiver accepts.
        public var count = 0
        public var waived = 0
        /// Findings neither waived nor in the baseline, by severity: what fails a run.
        public var activeBySeverity: [Severity: Int] = [:]
        /// Findings not waived, by severity: the summary's counts.
        public var openBySeverity: [Severity: Int] = [:]

        public init() {}

        mutating func add(_ finding: Finding) {
            count += 1
            if finding.waived != nil { waived += 1 } else { openBySeverity[finding.severity, default: 0] += 1 }
            if finding.isActive { activeBySeverity[finding.severity, default: 0] += 1 }
        }

        mutating func add(_ other: Counts) {
            count += other.count
            waived += other.waived
            activeBySeverity.merge(other.activeBySeverity, uniquingKeysWith: +)
            openBySeverity.merge(other.openBySeverity, uniquingKeysWith: +)
        }
    }

    public private(set) var counts = Counts()

    /// A spool in `directory` (the system's temporary folder by default), or nil with the reason.
    public static func make(formats: [(formatter: any StreamingReportFormatter, options: FormatOptions)], pack: CompiledPack,
                            gate: ReportGate?, directory: String? = nil) -> Result<FindingSpool, Diagnostic> {
        let folder = directory ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array((folder.hasSuffix("/") ? folder : folder + "/").utf8CString.dropLast())
            + Array("policycheck-findings-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            return .failure(.error(.fileUnwritable, "cannot make a temporary file in `\(folder)` to hold the findings: \(String(cString: strerror(errno)))",
                                   at: nil, help: "set TMPDIR to a writable folder"))
        }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        unlink(path)
        return .success(FindingSpool(descriptor: descriptor, formats: formats, pack: pack, gate: gate))
    }

    private init(descriptor: Int32, formats: [(formatter: any StreamingReportFormatter, options: FormatOptions)],
                 pack: CompiledPack, gate: ReportGate?) {
        self.descriptor = descriptor
        self.formats = formats
        self.pack = pack
        tally = gate?.tally()
        pending.reserveCapacity(Self.flushBytes + 64 * 1024)
    }

    deinit { close(descriptor) }

    /// Bytes gathered before they are written to the file.
    static let flushBytes = 4 << 20

    /// What the waivers and baseline did to the spooled findings.
    public var gateOutcome: GateOutcome? { tally?.outcome }

    /// Whether findings can be encoded on the threads that find them (`encode`): only when no
    /// waivers or baseline apply, whose marks depend on the findings before.
    public var encodesConcurrently: Bool { tally == nil }

    /// Marks and writes out `findings`, which come from `file` in input order.
    public func append(_ findings: [Finding], file: String) {
        guard !findings.isEmpty else { return }
        var marked = findings
        var added = Counts()
        for index in marked.indices {
            tally?.mark(&marked[index])
            added.add(marked[index])
        }
        var bytes: [UInt8] = []
        encode(marked, into: &bytes)
        append(encoded: bytes, counts: added, file: file)
    }

    /// Writes out findings `encode` has made, from `file` in input order.
    public func append(encoded bytes: [UInt8], counts added: Counts, file: String) {
        guard !bytes.isEmpty else { return }
        if segments.last?.file != file {
            let offset = flushed + pending.count
            segments.append(Segment(file: file, start: offset, end: offset))
        }
        pending.append(contentsOf: bytes)
        counts.add(added)
        segments[segments.count - 1].end = flushed + pending.count
        if pending.count >= Self.flushBytes { flush() }
    }

    /// The spooled form of `findings`: safe to call from several threads, it reads only the formats.
    public func encode(_ findings: [Finding], into out: inout [UInt8]) {
        func append(_ number: Int) {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: number).littleEndian) { out.append(contentsOf: $0) }
        }
        for finding in findings {
            let location = finding.location
            append(location?.line ?? 0)
            append(location?.column ?? 0)
            append(finding.ruleID.utf8.count)
            out.append(contentsOf: finding.ruleID.utf8)
            for (formatter, options) in formats {
                let fragment = formatter.fragment(for: finding, pack: pack, options: options)
                append(fragment.count)
                out.append(contentsOf: fragment)
            }
        }
    }

    /// Marks findings kept in memory (the aggregate rules') with the same waivers and baseline.
    public func mark(_ findings: inout [Finding]) {
        guard tally != nil else { return }
        for index in findings.indices { tally!.mark(&findings[index]) }
    }

    /// Writes what is gathered to the file; a failure is kept and reported by `entries`.
    public func flush() {
        guard failure == nil, !pending.isEmpty else { return }
        let ok = pending.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let written = pwrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset, off_t(flushed + offset))
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
        if !ok { failure = "cannot write the findings to a temporary file: \(String(cString: strerror(errno)))" }
        flushed += pending.count
        pending.removeAll(keepingCapacity: true)
    }

    /// Every spooled finding in `format`, files in name order and each file in input order: the
    /// order of `Report.order` for findings that all have a record.
    public func forEachEntry(format: String, _ body: (Entry) throws -> Void) throws {
        flush()
        if let failure { throw FindingSpoolError(message: failure) }
        guard let formatIndex = formats.firstIndex(where: { type(of: $0.formatter).identifier == format }) else {
            throw FindingSpoolError(message: "the findings were not kept in the format `\(format)`")
        }
        let ordered = segments.enumerated().sorted { ($0.element.file, $0.offset) < ($1.element.file, $1.offset) }.map(\.element)
        var buffer: [UInt8] = []
        for segment in ordered {
            var offset = segment.start
            var available = 0..<0
            func need(_ count: Int) throws {
                if available.count >= count { return }
                // Keep the unread tail and read on: a megabyte at a time, or the whole entry if it is larger.
                let tail = Array(buffer[available])
                let chunk = min(max(count - tail.count, 1 << 20), segment.end - offset)
                buffer = tail + [UInt8](repeating: 0, count: chunk)
                let read = buffer.withUnsafeMutableBytes { bytes in
                    pread(descriptor, bytes.baseAddress! + tail.count, chunk, off_t(offset))
                }
                guard read == chunk else { throw FindingSpoolError(message: "cannot read back the findings' temporary file") }
                offset += chunk
                available = 0..<buffer.count
                if available.count < count { throw FindingSpoolError(message: "the findings' temporary file ends early") }
            }
            func take(_ count: Int) throws -> ArraySlice<UInt8> {
                try need(count)
                defer { available = (available.lowerBound + count)..<available.upperBound }
                return buffer[available.lowerBound..<(available.lowerBound + count)]
            }
            func number() throws -> Int {
                let bytes = try take(4)
                let first = bytes.startIndex
                return Int(bytes[first]) | Int(bytes[first + 1]) << 8 | Int(bytes[first + 2]) << 16 | Int(bytes[first + 3]) << 24
            }
            while offset < segment.end || !available.isEmpty {
                let line = try number()
                let column = try number()
                let ruleID = String(decoding: try take(try number()), as: UTF8.self)
                var fragment: ArraySlice<UInt8> = []
                for index in formats.indices {
                    let bytes = try take(try number())
                    if index == formatIndex { fragment = bytes }
                }
                try body(Entry(location: SourceLocation(file: segment.file, line: line, column: column),
                               ruleID: ruleID, fragment: fragment))
            }
        }
    }
}

/// The spool's file could not be written or read back.
public struct FindingSpoolError: LocalizedError, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public var errorDescription: String? { message }
}
