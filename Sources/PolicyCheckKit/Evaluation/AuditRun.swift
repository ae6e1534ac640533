import Foundation

/// How an audit reads its inputs.
public struct AuditOptions: Sendable {
    public var language: Language
    public var period: AuditPeriod?
    /// The record type of tables whose header should not decide it.
    public var recordType: String?
    /// Nil: detect UTF-8 or GB18030 from the bytes.
    public var encoding: TextEncoding?
    /// The XLSX sheet; nil for the first.
    public var sheet: String?
    public var workers: Int
    /// Rows a worker checks before it takes the next chunk: small enough that the workers finish close together.
    public var batchRows: Int
    public var blockBytes: Int
    /// Input errors kept in full per file; beyond it they are counted.
    public var maxInputErrorsPerFile: Int

    public init(language: Language = .zh, period: AuditPeriod? = nil, recordType: String? = nil,
                encoding: TextEncoding? = nil, sheet: String? = nil,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount, batchRows: Int = 512,
                blockBytes: Int = 4 << 20, maxInputErrorsPerFile: Int = 1000) {
        self.language = language
        self.period = period
        self.recordType = recordType
        self.encoding = encoding
        self.sheet = sheet
        self.workers = max(1, workers)
        self.batchRows = max(1, batchRows)
        self.blockBytes = max(1 << 16, blockBytes)
        self.maxInputErrorsPerFile = maxInputErrorsPerFile
    }
}

/// How far an audit has read, for a progress line.
public struct AuditProgress: Sendable {
    public var file: String
    public var rows: Int
    public var bytesRead: Int
    public var totalBytes: Int
}

/// Counts an audit reports beside its findings.
public struct AuditSummary: Sendable, Codable, Equatable {
    public var rowsRead: Int
    public var period: String?
    public var findingsByRule: [String: Int]
    public var findingsByUnit: [String: Int]
}

/// The `audit` job: streams batch files (CSV, JSONL, XLSX, YAML, JSON), runs the per-record rules on
/// all cores in batches with output kept in input order, accumulates the aggregate rules' groups,
/// and finishes them into findings once every record is read.
public final class AuditRun {
    public let pack: CompiledPack
    public let options: AuditOptions
    private let workers: [Worker]
    /// Where per-record findings go as they are found, instead of `findings`.
    private let spool: FindingSpool?
    private var findings: [Finding] = []
    private var byRule: [String: Int] = [:]
    private var inputErrors: [Diagnostic] = []
    private var inputWarnings: [Diagnostic] = []
    private var rows = 0

    /// The state one thread uses: its evaluator, its share of the groups, its scratch buffers.
    final class Worker {
        let evaluator: RecordEvaluator
        var accumulator: AggregateAccumulator
        /// The row being checked, split into its non-empty fields.
        var row = CSVRow()
        /// This worker's copy of the binder of the file being read (see `TableBinder.copyForWorker`).
        var binder: TableBinder?
        /// The last checked row's field slots, filled again with the next row's (see `TableBinder.bind`).
        var rowStorage: [Value] = []
        /// With a spool that takes findings encoded on the workers, findings go to it as bytes.
        let spool: FindingSpool?
        /// What this worker has found in its current chunk that must be reported in input order.
        var output = ChunkOutput()
        /// Violations per rule this worker found, added to the run's once every file is read.
        var ruleCounts: [String: Int] = [:]
        /// Violations per unit, keyed by the unit's value: `Value` hashes bytes, `String` normalizes first.
        var units: [Value: Int] = [:]
        /// The `unit` slot of each record shape seen, so the by-unit count looks no field up by name per record.
        private var unitSlots: [ObjectIdentifier: Int?] = [:]

        init(pack: CompiledPack, options: AuditOptions, spool: FindingSpool?) {
            self.spool = spool.flatMap { $0.encodesConcurrently ? $0 : nil }
            evaluator = RecordEvaluator(pack: pack, language: options.language, period: options.period)
            accumulator = AggregateAccumulator(pack: pack, period: options.period)
        }

        func check(_ record: Record) {
            output.records += 1
            let found = evaluator.evaluate(record)
            if !found.isEmpty {
                let shape = record.value.shape
                let slot: Int?
                if let known = unitSlots[ObjectIdentifier(shape)] { slot = known } else {
                    slot = shape.index(of: "unit")
                    unitSlots[ObjectIdentifier(shape)] = slot
                }
                let unit = slot.map { record.value.fields[$0] } ?? .null
                for finding in found where finding.kind == .violation {
                    units[unit, default: 0] += 1
                    ruleCounts[finding.ruleID, default: 0] += 1
                }
                // A record's findings in rule-id order, as `Report.order` puts them; streamed findings are not sorted again.
                let sorted = found.count > 1 ? found.sorted { $0.ruleID < $1.ruleID } : found
                if let spool {
                    for finding in sorted { output.encodedCounts.add(finding) }
                    spool.encode(sorted, into: &output.encoded)
                    output.encodedFile = record.location.file
                } else {
                    output.findings += sorted
                }
            }
            accumulator.add(record)
        }

        /// What this worker found since it was last asked, leaving it empty for the next chunk.
        func takeOutput() -> ChunkOutput {
            defer { output = ChunkOutput() }
            return output
        }
    }

    /// With a `spool`, per-record findings are written to it as they are found and the report holds
    /// only the aggregate rules' findings (`Report.spool`), so memory stays flat however many rows there are.
    public init(pack: CompiledPack, options: AuditOptions, spool: FindingSpool? = nil) {
        self.pack = pack
        self.options = options
        self.spool = spool
        workers = (0..<options.workers).map { _ in Worker(pack: pack, options: options, spool: spool) }
    }

    /// Audits `files` and returns the report; `progress` is called after each block.
    public func run(_ files: [String], progress: ((AuditProgress) -> Void)? = nil) -> Report {
        for file in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                inputErrors.append(.error(.fileNotFound, "no such file `\(file)`", at: nil))
                continue
            }
            if isDirectory.boolValue {
                inputErrors.append(.error(.isDirectory, "`\(file)` is a directory, not a batch file", at: nil,
                                          help: "pass the files, e.g. `\(file.hasSuffix("/") ? file : file + "/")*.csv`"))
                continue
            }
            let errorsBefore = inputErrors.count
            switch Self.kind(of: file) {
            case .csv: readCSV(file, progress: progress)
            case .jsonLines: readJSONLines(file, progress: progress)
            case .xlsx: readXLSX(file)
            case .document: readDocument(file)
            case nil:
                inputErrors.append(.error(.fileUnreadable, "cannot tell the format of `\(file)` from its name", at: nil,
                                          help: "batch files end in .csv, .jsonl, .xlsx, .json, .yaml or .yml"))
            }
            let added = inputErrors.count - errorsBefore
            if added > options.maxInputErrorsPerFile {
                let dropped = added - options.maxInputErrorsPerFile
                inputErrors.removeSubrange((errorsBefore + options.maxInputErrorsPerFile)..<inputErrors.count)
                inputErrors.append(.error(.fieldType, "\(dropped) more input errors in `\(file)` not listed", at: nil))
            }
        }
        for worker in workers { byRule.merge(worker.ruleCounts, uniquingKeysWith: +) }
        // Aggregate rules see every record of every worker, then the period the data spans if none was given.
        var accumulator = workers[0].accumulator
        for worker in workers.dropFirst() { accumulator.merge(worker.accumulator) }
        let period = options.period ?? spannedPeriod(accumulator)
        var groupFindings = accumulator.finish(period: period, language: options.language)
        var units = workers.reduce(into: [String: Int]()) { totals, worker in
            for (unit, count) in worker.units {
                let name = unit.isNull ? "—" : ValueFormatter.display(unit, language: options.language)
                totals[name, default: 0] += count
            }
        }
        for finding in groupFindings where finding.kind == .violation {
            let unit = finding.group?.first { $0.name == "unit" || $0.name == "audited_unit" }
                .map { ValueFormatter.display($0.value, language: options.language) }
            units[unit ?? "—", default: 0] += 1
        }
        for finding in groupFindings where finding.kind == .violation { byRule[finding.ruleID, default: 0] += 1 }
        // The aggregate findings go through the same waivers and baseline as the spooled ones.
        if let spool { spool.mark(&groupFindings) }
        findings += groupFindings
        var report = Report(toolVersion: PolicyCheckVersion.current, packID: pack.manifest.id,
                            document: pack.manifest.document.number, recordCount: rows, findings: findings,
                            inputErrors: inputErrors, inputWarnings: inputWarnings)
        report.audit = AuditSummary(rowsRead: rows, period: period?.description, findingsByRule: byRule,
                                    findingsByUnit: units)
        if let spool {
            spool.flush()
            report.spool = spool
            report.gate = spool.gateOutcome
        }
        return report
    }

    /// The years of the groups' `year` keys, when no `--period` was given.
    private func spannedPeriod(_ accumulator: AggregateAccumulator) -> AuditPeriod? {
        let years = accumulator.yearsSeen
        guard let first = years.min(), let last = years.max() else { return nil }
        return AuditPeriod(startYear: first, endYear: last)
    }

    enum InputKind {
        case csv, jsonLines, xlsx, document
    }

    static func kind(of file: String) -> InputKind? {
        let lower = file.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonLines }
        if lower.hasSuffix(".xlsx") { return .xlsx }
        if lower.hasSuffix(".json") || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return .document }
        return nil
    }

    // MARK: - Batches on all cores

    /// What a worker found in one chunk of a batch and must keep in input order: set aside by chunk so that the
    /// chunks, checked by whichever worker was free, are reported in the order they were read.
    struct ChunkOutput {
        /// Records checked.
        var records = 0
        var findings: [Finding] = []
        /// With a spool that takes findings encoded on the workers: theirs, and what they count to.
        var encoded: [UInt8] = []
        var encodedCounts = FindingSpool.Counts()
        var encodedFile: String?
        var diagnostics: [Diagnostic] = []
    }

    /// Runs `work` over `count` items in chunks of at most `batchRows`, on all workers at once (see `BlockPipeline`).
    private func parallel(count: Int, work: @escaping (Worker, Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = self.workers
        var block: BlockPipeline<ChunkOutput>.Block? = BlockPipeline.Block(count: count, check: { thread, range in
            work(workers[thread], range)
            return workers[thread].takeOutput()
        })
        pipeline {
            defer { block = nil }
            return block
        }.run()
    }

    /// A pipeline over the workers whose output goes to this run's findings and counts. The run is used by one
    /// thread at a time while it runs: the pipeline hands output on from one thread at a time.
    private func pipeline(read: @escaping () -> BlockPipeline<ChunkOutput>.Block?) -> BlockPipeline<ChunkOutput> {
        let run = UncheckedSendable(self)
        return BlockPipeline(threads: workers.count, chunkItems: options.batchRows, read: read) { run.value.handOn($0) }
    }

    /// Adds what a chunk found to the run, chunks in input order.
    private func handOn(_ output: ChunkOutput) {
        rows += output.records
        if let spool, let file = output.encodedFile {
            spool.append(encoded: output.encoded, counts: output.encodedCounts, file: file)
        } else if let spool, let file = output.findings.first?.location?.file {
            spool.append(output.findings, file: file)
        } else {
            findings += output.findings
        }
        inputErrors += output.diagnostics.filter { $0.severity == .error }
        inputWarnings += output.diagnostics.filter { $0.severity != .error }
    }

    // MARK: - CSV

    private func readCSV(_ file: String, progress: ((AuditProgress) -> Void)?) {
        guard let reader = FileByteReader(path: file) else {
            inputErrors.append(.error(.fileUnreadable, "cannot read `\(file)`", at: nil))
            return
        }
        var buffer: [UInt8] = []
        if reader.read(into: &buffer, count: options.blockBytes) < 0 {
            inputErrors.append(.error(.fileUnreadable, "cannot read `\(file)`", at: nil))
            return
        }
        if buffer.isEmpty {
            inputErrors.append(.error(.emptyFile, "`\(file)` is empty; expected a header row and records",
                                      at: SourceLocation(file: file, line: 1, column: 1)))
            return
        }
        if let problem = buffer.withUnsafeBytes({ InputScreen.utf16Problem($0, file: file) }) {
            inputErrors.append(problem)
            return
        }
        let limits = pack.limits
        // The first read may end inside a character when the file goes on.
        let encoding = options.encoding ?? buffer.withUnsafeBytes { TextDecoding.detect($0, isWhole: buffer.count >= reader.size) }
        var atEnd = false
        if encoding == .gb18030 {
            if reader.size > limits.fileBytes {
                inputErrors.append(ResourceLimits.fileTooLarge(file, size: reader.size, limit: limits.fileBytes,
                                                            why: "a GB18030 file is converted whole"))
                return
            }
            // GB18030 is transcoded whole: iconv needs no row boundaries, and exports in it are office-sized.
            while reader.read(into: &buffer, count: options.blockBytes) > 0 {}
            switch buffer.withUnsafeBytes({ TextDecoding.transcodeToUTF8($0, from: .gb18030, file: file) }) {
            case .failure(let diagnostic):
                inputErrors.append(options.encoding != nil ? diagnostic
                                   : buffer.withUnsafeBytes { InputScreen.likelierEncodingProblem(gb18030: diagnostic, $0, file: file) })
                return
            case .success(let utf8): buffer = utf8
            }
            atEnd = true
        } else if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
            buffer.removeFirst(3)
        }
        let carriageReturns = buffer.withUnsafeBytes { InputScreen.usesLoneCarriageReturns($0) }
        if carriageReturns { InputScreen.replaceCarriageReturns(in: &buffer, from: 0) }
        let source = CSVBlockReader(file: file, reader: reader, buffer: buffer, atEnd: atEnd, carriageReturns: carriageReturns,
                                    blockBytes: options.blockBytes, limits: limits)
        // The header is found and bound on this thread: binding it reports to the run, which the workers
        // share once they start. The block read with it is held only until the pipeline takes it: held past its
        // turn, its bytes would stay in memory to the end of the file.
        var unread = source.next { header($0, end: $1, file: file) }
        if let binder = source.binder {
            for worker in workers { worker.binder = binder.copyForWorker() }
            let workers = self.workers
            let block = { (read: CSVBlockReader.Read) in
                BlockPipeline<ChunkOutput>.Block(count: read.block?.rowCount ?? 0, check: { thread, range in
                    guard let block = read.block else { return ChunkOutput() }
                    Self.checkRows(range, of: block, on: workers[thread], limits: limits)
                    return workers[thread].takeOutput()
                }, after: read.after.isEmpty ? nil : ChunkOutput(diagnostics: read.after),
                   whenChecked: read.block.map { block in { source.recycle(block.bytes) } })
            }
            // Whichever worker reads a block reports progress: rows split off so far.
            pipeline {
                if let read = unread {
                    unread = nil
                    return block(read)
                }
                guard let read = source.next(bindHeader: { _, _ in nil }) else { return nil }
                progress?(AuditProgress(file: file, rows: max(0, source.rowNumber - 1), bytesRead: source.bytesSplit,
                                        totalBytes: source.totalBytes))
                return block(read)
            }.run()
        } else if let unread {
            handOn(ChunkOutput(diagnostics: unread.after))
        }
        progress?(AuditProgress(file: file, rows: rows, bytesRead: source.bytesRead, totalBytes: source.totalBytes))
        if source.binder == nil, source.reachedEnd {
            inputErrors.append(.error(.emptyFile, "`\(file)` has no header row", at: SourceLocation(file: file, line: 1, column: 1)))
        }
    }

    /// Checks rows `range` of `block` (numbered from its first record) on `worker`.
    private static func checkRows(_ range: Range<Int>, of block: CSVBlock, on worker: Worker, limits: ResourceLimits) {
        let binder = worker.binder ?? block.binder, file = block.file
        block.bytes.withUnsafeBytes { bytes in
            for index in range {
                let row = index + block.firstRow
                let start = row == 0 ? 0 : block.ends[row - 1], end = block.ends[row]
                let number = block.rowBase + index + 1
                if end - start > limits.rowBytes {
                    worker.output.diagnostics.append(InputScreen.overlongRow(bytes, start: start, limit: limits.rowBytes, row: number,
                                                                             file: file) { InputScreen.header(of: block.binder, $0) })
                    continue
                }
                if let problem = worker.row.split(bytes, start: start, end: end) {
                    if case .textAfterQuote(let field) = problem {
                        worker.output.diagnostics.append(.error(.fieldType, "text after a closing quote in column \(field + 1)",
                                                                at: SourceLocation(file: file, line: number, column: field + 1),
                                                                help: "a quote inside a quoted value is written twice: \"\""))
                    }
                    continue
                }
                if worker.row.fieldCount == 1, worker.row.count == 0 { continue }  // blank line
                if block.hasSuspectBytes, let problem = InputScreen.suspectCell(bytes, start: start, end: end, row: number, file: file,
                                                                                binder: block.binder) {
                    worker.output.diagnostics.append(problem)
                    continue
                }
                if let record = binder.bind(row: number, cells: bytes, fields: worker.row.slots[..<worker.row.count],
                                            fieldCount: worker.row.fieldCount, storage: &worker.rowStorage,
                                            diagnostics: &worker.output.diagnostics) {
                    worker.check(record)
                    worker.rowStorage = record.value.fields
                }
            }
        }
    }

    /// The header row's binder, or nil with the problem recorded.
    private func header(_ buffer: [UInt8], end: Int, file: String) -> TableBinder? {
        var fields: [CSVScanner.FieldRange] = []
        let cells: [String]? = buffer.withUnsafeBytes { bytes in
            _ = CSVScanner.fields(bytes, start: 0, end: end, into: &fields)
            let texts = fields.map { CSVScanner.string(bytes, $0) }
            return texts.contains(where: { $0 == nil }) ? nil : texts.compactMap { $0 }
        }
        guard let cells else {
            inputErrors.append(.error(.encoding, "the header of `\(file)` is not valid UTF-8", at: SourceLocation(file: file, line: 1, column: 1),
                                      help: "pass --encoding gb18030 if the file came from Excel on Chinese Windows"))
            return nil
        }
        return bind(header: cells, file: file)
    }

    private func bind(header cells: [String], file: String) -> TableBinder? {
        switch TableBinder.schema(for: cells, schemas: pack.schemas, type: options.recordType, file: file) {
        case .failure(let diagnostic):
            inputErrors.append(diagnostic)
            return nil
        case .success(let schema):
            let binder = TableBinder(header: cells, schema: schema, file: file, fieldsRead: pack.fieldsRead(by: schema.name))
            for diagnostic in binder.headerDiagnostics {
                if diagnostic.severity == .error { inputErrors.append(diagnostic) } else { inputWarnings.append(diagnostic) }
            }
            return binder.hasErrors ? nil : binder
        }
    }

    // MARK: - JSON Lines

    private func readJSONLines(_ file: String, progress: ((AuditProgress) -> Void)?) {
        guard let reader = FileByteReader(path: file) else {
            inputErrors.append(.error(.fileUnreadable, "cannot read `\(file)`", at: nil))
            return
        }
        var buffer: [UInt8] = []
        var bytesRead = 0
        var lineNumber = 0
        var atEnd = false
        var ends: [Int] = []
        let reader0 = DocumentRecordReader(schemas: pack.schemas, defaultType: options.recordType, limits: pack.limits)
        let limits = pack.limits
        var carriageReturns: Bool?
        while !atEnd {
            let got = reader.read(into: &buffer, count: options.blockBytes)
            if got < 0 {
                inputErrors.append(.error(.fileUnreadable, "cannot read `\(file)`", at: nil))
                return
            }
            bytesRead += got
            atEnd = got == 0
            if carriageReturns == nil { carriageReturns = buffer.withUnsafeBytes { InputScreen.usesLoneCarriageReturns($0) } }
            if carriageReturns == true { InputScreen.replaceCarriageReturns(in: &buffer, from: buffer.count - got) }
            if lineNumber == 0, buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
            ends.removeAll(keepingCapacity: true)
            var start = 0
            buffer.withUnsafeBytes { bytes in
                for index in 0..<bytes.count where bytes[index] == CSVScanner.newline { ends.append(index + 1) }
            }
            if atEnd, (ends.last ?? 0) < buffer.count { ends.append(buffer.count) }
            let base = lineNumber
            let lineEnds = ends
            let snapshot = buffer
            parallel(count: lineEnds.count) { worker, range in
                snapshot.withUnsafeBytes { bytes in
                    for index in range {
                        let lineStart = index == 0 ? 0 : lineEnds[index - 1]
                        let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnds[index]])
                        if line.count > limits.rowBytes {
                            worker.output.diagnostics.append(InputScreen.overlongLine(base + index + 1, limit: limits.rowBytes, file: file))
                            continue
                        }
                        if line.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { continue }
                        switch JSONParser.parse(line, file: file, line: base + index + 1, maxDepth: limits.jsonDepth) {
                        case .failure(let diagnostic): worker.output.diagnostics.append(diagnostic)
                        case .success(let node):
                            if let record = reader0.bind(node, diagnostics: &worker.output.diagnostics) { worker.check(record) }
                        }
                    }
                }
            }
            start = lineEnds.last ?? 0
            lineNumber += lineEnds.count
            buffer.removeFirst(start)
            if !atEnd, buffer.count > limits.rowBytes {
                inputErrors.append(InputScreen.overlongLine(lineNumber + 1, limit: limits.rowBytes, file: file))
                guard let (rest, end) = InputScreen.skipRow(startingWith: buffer, reader: reader, blockBytes: options.blockBytes,
                                                           quoted: false, carriageReturns: carriageReturns == true,
                                                           bytesRead: &bytesRead) else { return }
                buffer = rest
                atEnd = end
                lineNumber += 1
            }
            progress?(AuditProgress(file: file, rows: rows, bytesRead: bytesRead, totalBytes: reader.size))
        }
        if lineNumber == 0 {
            inputErrors.append(.error(.emptyFile, "`\(file)` is empty; expected one JSON record per line",
                                      at: SourceLocation(file: file, line: 1, column: 1)))
        }
    }

    // MARK: - XLSX, YAML and JSON documents

    private func readXLSX(_ file: String) {
        guard let data = readWhole(file, why: "a workbook is read whole") else { return }
        switch XLSXReader.rows(data: data, file: file, sheet: options.sheet, limits: pack.limits.xlsx) {
        case .failure(let diagnostic):
            inputErrors.append(diagnostic)
        case .success(let tableRows):
            guard let headerRow = tableRows.first else {
                inputErrors.append(.error(.emptyFile, "the sheet of `\(file)` is empty", at: SourceLocation(file: file, line: 1, column: 1)))
                return
            }
            guard let binder = bind(header: headerRow.cells, file: file) else { return }
            for worker in workers { worker.binder = binder.copyForWorker() }
            let body = Array(tableRows.dropFirst())
            parallel(count: body.count) { worker, range in
                let rowBinder = worker.binder ?? binder
                for index in range {
                    let row = body[index]
                    if row.cells.allSatisfy({ $0.trimmingSpaces().isEmpty }) { continue }
                    if let record = rowBinder.bind(row: row.number, cells: row.cells, diagnostics: &worker.output.diagnostics) {
                        worker.check(record)
                    }
                }
            }
        }
    }

    /// The bytes of a file read whole, or nil with the problem recorded: a file over `file-bytes` is not read.
    private func readWhole(_ file: String, why: String) -> Data? {
        if let size = InputScreen.size(of: file), size > pack.limits.fileBytes {
            inputErrors.append(ResourceLimits.fileTooLarge(file, size: size, limit: pack.limits.fileBytes, why: why))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            inputErrors.append(.error(.fileUnreadable, "cannot read `\(file)`", at: nil))
            return nil
        }
        return data
    }

    private func readDocument(_ file: String) {
        guard let data = readWhole(file, why: "YAML and JSON files are read whole") else { return }
        // The first invalid byte is reported where it is; a byte-order mark is dropped.
        let text: String
        switch data.withUnsafeBytes({ TextDecoding.decodeDocument($0, file: file) }) {
        case .failure(let diagnostic):
            inputErrors.append(diagnostic)
            return
        case .success(let decoded): text = decoded
        }
        let result = DocumentRecordReader(schemas: pack.schemas, defaultType: options.recordType, limits: pack.limits)
            .read(text: text, file: file)
        for diagnostic in result.diagnostics {
            if diagnostic.severity == .error { inputErrors.append(diagnostic) } else { inputWarnings.append(diagnostic) }
        }
        let records = result.records
        parallel(count: records.count) { worker, range in
            for index in range { worker.check(records[index]) }
        }
    }
}
