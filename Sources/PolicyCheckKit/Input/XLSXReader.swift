import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

extension DiagnosticCode {
    /// A workbook has no sheet of the name asked for, or the sheet holds no cells (a chart sheet).
    public static let unknownSheet: DiagnosticCode = "unknown-sheet"
}

/// Reads one worksheet of an .xlsx workbook into rows of text cells.
///
/// Sheets are found as Excel finds them: the package's relationships lead to the workbook, the
/// workbook's relationships from a sheet's name to its part. A cell's text is what the file
/// stores: shared and inline strings (rich text runs joined), `true`/`false` for booleans,
/// numbers as written in the file (never reformatted), a formula's cached value, and
/// `YYYY-MM-DD` for a number whose style is a date format, from Excel's serial day (the 1900
/// system with its phantom 1900-02-29, or the 1904 system when the workbook says so).
///
/// The input may be hostile: anything that is not a well-formed workbook is a `file-unreadable`
/// diagnostic saying what was expected, and a part that would expand beyond `Limits` (a zip
/// bomb) is refused with `input-too-large`, by its declared size and again while it is inflated.
public struct XLSXReader {
    /// Upper bounds on what reading a workbook may cost.
    public struct Limits: Sendable, Equatable {
        /// The most bytes the sheet's XML may have once uncompressed.
        public var sheet: Int
        /// The most bytes any other part (shared strings, styles, the workbook and its
        /// relationships) may have once uncompressed.
        public var otherPart: Int
        /// The most cells the rows may hold in all, counting the empty ones that fill gaps.
        public var cells: Int

        /// 512 MiB for the sheet, 64 MiB for each other part, 2^25 (about 33 million) cells.
        public init(sheet: Int = 512 << 20, otherPart: Int = 64 << 20, cells: Int = 1 << 25) {
            self.sheet = sheet
            self.otherPart = otherPart
            self.cells = cells
        }
    }

    /// The names of the workbook's sheets, in the workbook's order (the order of its tabs),
    /// hidden sheets and chart sheets included.
    public static func sheetNames(data: Data, file: String, limits: Limits = Limits()) -> Result<[String], Diagnostic> {
        Result { () throws(Diagnostic) -> [String] in
            try Workbook.open(data: data, file: file, limits: limits).sheets.map(\.name)
        }
    }

    /// The rows of one sheet that have at least one filled cell, in the sheet's order.
    ///
    /// - Parameters:
    ///   - data: the bytes of the .xlsx file.
    ///   - file: the file's name, for diagnostics.
    ///   - sheet: the sheet's name as its tab shows it; nil for the first sheet.
    ///   - limits: bounds on the sizes of the parts and the number of cells.
    /// - Complexity: O(size of the sheet, shared strings and styles once uncompressed).
    public static func rows(data: Data, file: String, sheet: String?,
                            limits: Limits = Limits()) -> Result<[TableRow], Diagnostic> {
        Result { () throws(Diagnostic) -> [TableRow] in
            let workbook = try Workbook.open(data: data, file: file, limits: limits)
            return try workbook.rows(ofSheet: sheet)
        }
    }
}

// MARK: - The workbook

/// The parts of a workbook that locate its sheets, and the reading of one sheet.
private struct Workbook {
    struct Sheet {
        var name: String
        var relationshipID: String?
    }

    let package: ZIPPackage
    let workbookPart: String
    let sheets: [Sheet]
    let date1904: Bool
    let relationships: [Relationship]

    static func open(data: Data, file: String, limits: XLSXReader.Limits) throws(Diagnostic) -> Workbook {
        let package = try ZIPPackage(data: data, file: file, limits: limits)
        var workbookPart = "xl/workbook.xml"
        if let rootRelationships = try package.optionalPart("_rels/.rels") {
            let relationships = try RelationshipsParser.parse(rootRelationships, part: "_rels/.rels", package: package)
            if let office = relationships.first(where: { $0.type.hasSuffix("/officeDocument") && !$0.isExternal }) {
                workbookPart = PartName.resolve(office.target, from: "")
            }
        }
        guard let workbookData = try package.optionalPart(workbookPart) else {
            throw package.unreadable("it has no `\(workbookPart)`")
        }
        let workbook = try WorkbookParser.parse(workbookData, part: workbookPart, package: package)
        let relationshipsPart = PartName.relationships(of: workbookPart)
        guard let relationshipsData = try package.optionalPart(relationshipsPart) else {
            throw package.unreadable("it has no `\(relationshipsPart)`")
        }
        let relationships = try RelationshipsParser.parse(relationshipsData, part: relationshipsPart, package: package)
        guard !workbook.sheets.isEmpty else { throw package.unreadable("`\(workbookPart)` lists no sheets") }
        return Workbook(package: package, workbookPart: workbookPart, sheets: workbook.sheets,
                        date1904: workbook.date1904, relationships: relationships)
    }

    func rows(ofSheet name: String?) throws(Diagnostic) -> [TableRow] {
        let sheet = try self.sheet(named: name)
        guard let id = sheet.relationshipID, let relationship = relationships.first(where: { $0.id == id }) else {
            throw package.unreadable("sheet `\(sheet.name)` has no relationship in `\(PartName.relationships(of: workbookPart))`")
        }
        let kind = relationship.type.split(separator: "/").last.map(String.init) ?? ""
        guard kind == "worksheet" else {
            throw Diagnostic.error(.unknownSheet, "sheet `\(sheet.name)` of `\(package.file)` is a \(kind), not a worksheet",
                                   at: nil, help: otherSheetsHelp(excluding: sheet.name))
        }
        let sheetPart = PartName.resolve(relationship.target, from: PartName.directory(of: workbookPart))
        guard let sheetData = try package.optionalPart(sheetPart, limit: package.limits.sheet) else {
            throw package.unreadable("it has no `\(sheetPart)` (sheet `\(sheet.name)`)")
        }
        let sharedStrings = try related("/sharedStrings", fallback: "xl/sharedStrings.xml") { data, part throws(Diagnostic) in
            try SharedStringsParser.parse(data, part: part, package: package)
        } ?? []
        let dateStyles = try related("/styles", fallback: "xl/styles.xml") { data, part throws(Diagnostic) in
            try StylesParser.parse(data, part: part, package: package)
        } ?? []
        let context = WorksheetParser.Context(sharedStrings: sharedStrings, dateStyles: dateStyles,
                                              date1904: date1904, sheetName: sheet.name, cellLimit: package.limits.cells)
        return try WorksheetParser.parse(sheetData, part: sheetPart, package: package, context: context)
    }

    private func sheet(named name: String?) throws(Diagnostic) -> Sheet {
        guard let name else {
            guard let first = sheets.first else { throw package.unreadable("`\(workbookPart)` lists no sheets") }
            return first
        }
        if let sheet = sheets.first(where: { $0.name == name }) { return sheet }
        // Excel's sheet names are case-insensitive: no two may differ only by case.
        if let sheet = sheets.first(where: { $0.name.lowercased() == name.lowercased() }) { return sheet }
        let names = sheets.map(\.name)
        let list = names.map { "`\($0)`" }.joined(separator: ", ")
        let help = Suggestion.help(for: name, in: names).map { "\($0) the sheets are \(list)" } ?? "the sheets are \(list)"
        throw Diagnostic.error(.unknownSheet, "`\(package.file)` has no sheet `\(name)`", at: nil, help: help)
    }

    private func otherSheetsHelp(excluding name: String) -> String? {
        let others = sheets.map(\.name).filter { $0 != name }
        return others.isEmpty ? nil : "the other sheets are " + others.map { "`\($0)`" }.joined(separator: ", ")
    }

    /// Parses the part the workbook relates to by a relationship type, or the usual part when no
    /// relationship names one; nil when there is neither.
    private func related<Value>(_ typeSuffix: String, fallback: String,
                                parse: (Data, String) throws(Diagnostic) -> Value) throws(Diagnostic) -> Value? {
        if let relationship = relationships.first(where: { $0.type.hasSuffix(typeSuffix) && !$0.isExternal }) {
            let part = PartName.resolve(relationship.target, from: PartName.directory(of: workbookPart))
            guard let data = try package.optionalPart(part) else { throw package.unreadable("it has no `\(part)`") }
            return try parse(data, part)
        }
        guard let data = try package.optionalPart(fallback) else { return nil }
        return try parse(data, fallback)
    }
}

/// A relationship of an Open Packaging Conventions part: `rId3` → `worksheets/sheet3.xml`.
private struct Relationship {
    var id: String
    var type: String
    var target: String
    var isExternal: Bool
}

/// Part names inside the package: `xl/worksheets/sheet1.xml`, with no leading slash.
private enum PartName {
    /// `xl/` for `xl/workbook.xml`; empty for a part at the root.
    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// `xl/_rels/workbook.xml.rels` for `xl/workbook.xml`.
    static func relationships(of part: String) -> String {
        let directory = directory(of: part)
        return directory + "_rels/" + part.dropFirst(directory.count) + ".rels"
    }

    /// A relationship's target as a part name: absolute targets start at the root, relative
    /// ones at the source part's directory; `.` and `..` are resolved.
    static func resolve(_ target: String, from directory: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : directory + target
        var segments: [Substring] = []
        for segment in joined.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }
}

// MARK: - The ZIP package

/// The entries of the ZIP archive, read from its central directory, and their bounded extraction.
///
/// The directory is read here rather than through ZIPFoundation's `Archive` because
/// `Archive.extract(_:consumer:)` inflates from the entry's start to the end of the archive: a
/// deflate stream that does not end within its entry makes it loop forever at the end of the
/// data. Here each entry's compressed bytes are fed to ZIPFoundation's `Data.decompress` by a
/// provider that stops at the entry's end.
private struct ZIPPackage {
    struct Entry {
        var name: String
        var flags: UInt16
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let data: Data
    let file: String
    let limits: XLSXReader.Limits
    let entries: [Entry]
    private let index: [String: Int]
    private let lowercasedIndex: [String: Int]

    init(data: Data, file: String, limits: XLSXReader.Limits) throws(Diagnostic) {
        self.data = data
        self.file = file
        self.limits = limits
        let bytes = ByteReader(data: data)
        if !bytes.hasPrefix([0x50, 0x4B]) {
            if bytes.hasPrefix([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
                throw Diagnostic.error(.fileUnreadable, "`\(file)` is not an XLSX workbook: it is an Excel 97–2003 "
                                       + "(.xls) file or a password-protected workbook", at: nil,
                                       help: "save it from Excel or WPS as an unprotected .xlsx workbook")
            }
            throw Diagnostic.error(.fileUnreadable, "`\(file)` is not an XLSX workbook: it is not a ZIP archive",
                                   at: nil, help: "an .xlsx file is a ZIP archive whose first bytes are `PK`")
        }
        let entries = try Self.readCentralDirectory(bytes, file: file)
        self.entries = entries
        var index: [String: Int] = [:]
        var lowercasedIndex: [String: Int] = [:]
        for (position, entry) in entries.enumerated().reversed() {
            index[entry.name] = position
            lowercasedIndex[entry.name.lowercased()] = position
        }
        self.index = index
        self.lowercasedIndex = lowercasedIndex
    }

    func unreadable(_ detail: String) -> Diagnostic {
        .error(.fileUnreadable, "`\(file)` is not an XLSX workbook: \(detail)", at: nil)
    }

    /// The uncompressed bytes of a part, or nil when the archive has no such part. Part names
    /// are case-insensitive, as Open Packaging Conventions say.
    func optionalPart(_ name: String, limit: Int? = nil) throws(Diagnostic) -> Data? {
        guard let position = index[name] ?? lowercasedIndex[name.lowercased()] else { return nil }
        return try contents(of: entries[position], limit: limit ?? limits.otherPart)
    }

    private func tooLarge(_ entry: Entry, _ detail: String, limit: Int) -> Diagnostic {
        .error(.inputTooLarge, "`\(file)` is too large to read: `\(entry.name)` \(detail), more than the limit of "
               + ByteCount.describe(limit), at: nil)
    }

    private enum ExtractionStop: Error {
        case overLimit
        case truncated
    }

    private func contents(of entry: Entry, limit: Int) throws(Diagnostic) -> Data {
        if entry.flags & 0x1 != 0 { throw unreadable("`\(entry.name)` is encrypted") }
        if entry.uncompressedSize > limit {
            throw tooLarge(entry, "declares \(ByteCount.describe(entry.uncompressedSize)) uncompressed", limit: limit)
        }
        let bytes = ByteReader(data: data)
        let header = entry.localHeaderOffset
        guard bytes.uint32(at: header) == 0x0403_4B50,
              let nameLength = bytes.uint16(at: header + 26), let extraLength = bytes.uint16(at: header + 28) else {
            throw unreadable("the ZIP archive is damaged: `\(entry.name)` has no local header")
        }
        // The header was read, so `header` is inside the file and `start` cannot overflow.
        let start = header + 30 + Int(nameLength) + Int(extraLength)
        guard start <= data.count, entry.compressedSize <= data.count - start else {
            throw unreadable("the ZIP archive is truncated: `\(entry.name)` ends after the end of the file")
        }
        let begin = data.startIndex + start
        let compressed = data[begin..<(begin + entry.compressedSize)]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw unreadable("the ZIP archive is damaged: `\(entry.name)` has inconsistent sizes")
            }
            let stored = Data(compressed)
            guard stored.crc32(checksum: 0) == entry.crc32 else {
                throw unreadable("the ZIP archive is damaged: `\(entry.name)` fails its checksum")
            }
            return stored
        case 8:
            return try inflate(compressed, entry: entry, limit: limit)
        default:
            throw unreadable("`\(entry.name)` uses ZIP compression method \(entry.method); only deflate is supported")
        }
    }

    private func inflate(_ compressed: Data, entry: Entry, limit: Int) throws(Diagnostic) -> Data {
        var output = Data()
        output.reserveCapacity(min(entry.uncompressedSize, limit))
        let chunkSize = 256 * 1024
        let checksum: CRC32
        do {
            checksum = try Data.decompress(
                size: Int64(compressed.count), bufferSize: chunkSize, skipCRC32: false,
                provider: { position, size in
                    let offset = Int(position)
                    guard offset < compressed.count else { throw ExtractionStop.truncated }
                    let begin = compressed.startIndex + offset
                    let chunk = Data(compressed[begin..<min(compressed.endIndex, begin + size)])
                    #if os(macOS) || os(iOS) || os(tvOS) || os(visionOS) || os(watchOS)
                    return chunk
                    #else
                    // On Linux zlib is handed `size` bytes whatever the chunk holds: pad so it never
                    // reads past the chunk; the next call, past the entry's end, stops the extraction.
                    return chunk.count < size ? chunk + Data(count: size - chunk.count) : chunk
                    #endif
                },
                consumer: { chunk in
                    // A declared size can lie; the count cannot. Stop as soon as the limit is passed.
                    if output.count + chunk.count > limit { throw ExtractionStop.overLimit }
                    output.append(chunk)
                })
        } catch ExtractionStop.overLimit {
            throw tooLarge(entry, "expands beyond \(ByteCount.describe(limit))", limit: limit)
        } catch ExtractionStop.truncated {
            throw unreadable("the ZIP archive is damaged: the compressed data of `\(entry.name)` is cut short")
        } catch {
            throw unreadable("the ZIP archive is damaged: `\(entry.name)` cannot be inflated")
        }
        guard output.count == entry.uncompressedSize else {
            throw unreadable("the ZIP archive is damaged: `\(entry.name)` is not the size its directory declares")
        }
        guard checksum == entry.crc32 else {
            throw unreadable("the ZIP archive is damaged: `\(entry.name)` fails its checksum")
        }
        return output
    }

    // MARK: Central directory

    private static func readCentralDirectory(_ bytes: ByteReader, file: String) throws(Diagnostic) -> [Entry] {
        func damaged(_ detail: String) -> Diagnostic {
            .error(.fileUnreadable, "`\(file)` is not an XLSX workbook: \(detail)", at: nil)
        }
        // The end record is 22 bytes plus a comment of at most 65535 bytes, at the end of the file.
        let count = bytes.count
        var endRecord: Int?
        var position = count - 22
        while position >= max(0, count - 22 - 0xFFFF) {
            if bytes.uint32(at: position) == 0x0605_4B50 {
                endRecord = position
                break
            }
            position -= 1
        }
        guard let end = endRecord, var entryCount = bytes.uint16(at: end + 10).map(Int.init),
              var directorySize = bytes.uint32(at: end + 12).map(Int.init),
              var directoryOffset = bytes.uint32(at: end + 16).map(Int.init) else {
            throw damaged("the ZIP archive is truncated or damaged (its central directory is missing)")
        }
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the locator just before the end record points at the ZIP64 end record.
            guard bytes.uint32(at: end - 20) == 0x0706_4B50, let record = bytes.int64(at: end - 12),
                  bytes.uint32(at: record) == 0x0606_4B50,
                  let count64 = bytes.int64(at: record + 32), let size64 = bytes.int64(at: record + 40),
                  let offset64 = bytes.int64(at: record + 48) else {
                throw damaged("the ZIP archive is damaged (its ZIP64 directory is missing)")
            }
            (entryCount, directorySize, directoryOffset) = (count64, size64, offset64)
        }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset <= end, directorySize <= end - directoryOffset,
              entryCount <= directorySize / 46 else {
            throw damaged("the ZIP archive is truncated or damaged (its central directory lies outside the file)")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(entryCount)
        var offset = directoryOffset
        for _ in 0..<entryCount {
            guard bytes.uint32(at: offset) == 0x0201_4B50,
                  let flags = bytes.uint16(at: offset + 8), let method = bytes.uint16(at: offset + 10),
                  let crc = bytes.uint32(at: offset + 16),
                  var compressedSize = bytes.uint32(at: offset + 20).map(Int.init),
                  var uncompressedSize = bytes.uint32(at: offset + 24).map(Int.init),
                  let nameLength = bytes.uint16(at: offset + 28).map(Int.init),
                  let extraLength = bytes.uint16(at: offset + 30).map(Int.init),
                  let commentLength = bytes.uint16(at: offset + 32).map(Int.init),
                  var localOffset = bytes.uint32(at: offset + 42).map(Int.init),
                  let name = bytes.slice(at: offset + 46, count: nameLength),
                  let extra = bytes.slice(at: offset + 46 + nameLength, count: extraLength) else {
                throw damaged("the ZIP archive is damaged (an entry of its central directory is cut short)")
            }
            if uncompressedSize == 0xFFFF_FFFF || compressedSize == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                guard let sizes = zip64Sizes(in: extra, uncompressed: uncompressedSize == 0xFFFF_FFFF,
                                             compressed: compressedSize == 0xFFFF_FFFF,
                                             offset: localOffset == 0xFFFF_FFFF) else {
                    throw damaged("the ZIP archive is damaged (an entry lacks its ZIP64 sizes)")
                }
                uncompressedSize = sizes.uncompressed ?? uncompressedSize
                compressedSize = sizes.compressed ?? compressedSize
                localOffset = sizes.offset ?? localOffset
            }
            entries.append(Entry(name: String(decoding: name, as: UTF8.self), flags: flags, method: method,
                                 crc32: crc, compressedSize: compressedSize, uncompressedSize: uncompressedSize,
                                 localHeaderOffset: localOffset))
            offset += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// The 64-bit values of the ZIP64 extra field (id 1), present only for the fields whose 32-bit value is all ones.
    private static func zip64Sizes(in extra: Data, uncompressed: Bool, compressed: Bool,
                                   offset: Bool) -> (uncompressed: Int?, compressed: Int?, offset: Int?)? {
        let bytes = ByteReader(data: extra)
        var position = 0
        while let id = bytes.uint16(at: position), let length = bytes.uint16(at: position + 2).map(Int.init) {
            if id == 1 {
                var field = position + 4
                func next() -> Int? {
                    guard field + 8 <= position + 4 + length, let value = bytes.int64(at: field) else { return nil }
                    field += 8
                    return value
                }
                let u = uncompressed ? next() : nil
                let c = compressed ? next() : nil
                let o = offset ? next() : nil
                if (uncompressed && u == nil) || (compressed && c == nil) || (offset && o == nil) { return nil }
                return (u, c, o)
            }
            position += 4 + length
        }
        return nil
    }
}

/// Little-endian integers read at offsets of a `Data`, nil past its end. Offsets come from the
/// file and may be anything: they are compared by subtraction, so none can overflow.
private struct ByteReader {
    let data: Data
    var count: Int { data.count }

    func hasPrefix(_ prefix: [UInt8]) -> Bool { data.starts(with: prefix) }

    func uint16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset <= data.count - 2 else { return nil }
        let base = data.startIndex + offset
        return UInt16(data[base]) | UInt16(data[base + 1]) << 8
    }

    func uint32(at offset: Int) -> UInt32? {
        guard let low = uint16(at: offset), offset < Int.max - 2, let high = uint16(at: offset + 2) else { return nil }
        return UInt32(low) | UInt32(high) << 16
    }

    /// A 64-bit value, nil when it does not fit an `Int` (no honest archive needs more).
    func int64(at offset: Int) -> Int? {
        guard let low = uint32(at: offset), offset < Int.max - 4, let high = uint32(at: offset + 4),
              high < 0x8000_0000 else { return nil }
        return Int(UInt64(low) | UInt64(high) << 32)
    }

    func slice(at offset: Int, count: Int) -> Data? {
        guard offset >= 0, count >= 0, offset <= data.count, count <= data.count - offset else { return nil }
        let base = data.startIndex + offset
        return data[base..<(base + count)]
    }
}

/// Byte counts as people read them in messages.
enum ByteCount {
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 20 { return "\(bytes / (1 << 20)) MiB (\(bytes) bytes)" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

// MARK: - XML parts

/// The common ground of the part parsers: element names without their prefix, and a way to stop
/// parsing with a diagnostic.
private class PartParser: NSObject, XMLParserDelegate {
    let part: String
    let package: ZIPPackage
    var failure: Diagnostic?

    init(part: String, package: ZIPPackage) {
        self.part = part
        self.package = package
    }

    func fail(_ parser: XMLParser, _ diagnostic: Diagnostic) {
        if failure == nil { failure = diagnostic }
        parser.abortParsing()
    }

    /// Runs the parser over `data`. An XLSX part never declares a DTD, so one is refused before
    /// parsing rather than left to the XML parser's entity handling.
    func run(_ data: Data) throws(Diagnostic) {
        if XMLProlog.declaresDoctype(data) { throw package.unreadable("`\(part)` declares a DTD") }
        // Fed as a stream, the parser reads in chunks: given the whole of a part over 10 MB at
        // once, Foundation's libxml2 push parser ends with "huge input lookup" on Linux.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        let parsed = parser.parse()
        if let failure { throw failure }
        if !parsed {
            throw package.unreadable("`\(part)` is not well-formed XML (line \(parser.lineNumber))")
        }
    }

    // The callbacks the parsers use. On Linux, XMLParserDelegate is a Swift protocol whose
    // witnesses are fixed where the conformance is declared, so the subclasses override these
    // rather than implement the protocol's methods themselves.

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {}

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {}

    func parser(_ parser: XMLParser, foundCharacters string: String) {}

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    /// Foundation on Linux parses in libxml2's recovery mode, which reads past mismatched tags;
    /// its errors still arrive here, and the first one ends the parse.
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if Self.libxml2Warnings.contains((parseError as NSError).code) { return }
        fail(parser, package.unreadable("`\(part)` is not well-formed XML (line \(parser.lineNumber))"))
    }

    /// libxml2's `XML_WAR_*` codes: reported through the same callback, but the document is well-formed.
    private static let libxml2Warnings: Set<Int> = [27, 93, 98, 99, 100, 102, 106, 107]

    static func localName(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return name[...] }
        return name[name.index(after: colon)...]
    }
}

private enum XMLProlog {
    /// Whether a `<!DOCTYPE` comes before the root element (after the declaration, comments and
    /// processing instructions).
    static func declaresDoctype(_ data: Data) -> Bool {
        let doctype = Array("<!DOCTYPE".utf8)
        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            var index = 0
            func starts(with prefix: [UInt8], at position: Int) -> Bool {
                guard position + prefix.count <= bytes.count else { return false }
                return prefix.indices.allSatisfy { bytes[position + $0] == prefix[$0] }
            }
            func skip(past terminator: [UInt8]) {
                while index < bytes.count, !starts(with: terminator, at: index) { index += 1 }
                index += terminator.count
            }
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF: index += 1
                case UInt8(ascii: "<"):
                    if starts(with: Array("<?".utf8), at: index) {
                        skip(past: Array("?>".utf8))
                    } else if starts(with: Array("<!--".utf8), at: index) {
                        skip(past: Array("-->".utf8))
                    } else {
                        return starts(with: doctype, at: index)
                    }
                default: return false
                }
            }
            return false
        }
    }
}

/// `_x000D_` and the like: how OOXML writes characters XML cannot hold; `_x005F_` escapes an underscore.
private enum OOXMLEscapes {
    static func decode(_ text: String) -> String {
        // Most text has no underscore at all; look for one byte before anything slower.
        guard text.utf8.contains(UInt8(ascii: "_")) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "_", index + 6 < scalars.count, scalars[index + 1] == "x", scalars[index + 6] == "_",
               let value = UInt32(String(String.UnicodeScalarView(scalars[(index + 2)..<(index + 6)])), radix: 16),
               let scalar = Unicode.Scalar(value) {
                result.append(scalar)
                index += 7
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }
}

private final class RelationshipsParser: PartParser {
    var relationships: [Relationship] = []

    static func parse(_ data: Data, part: String, package: ZIPPackage) throws(Diagnostic) -> [Relationship] {
        let parser = RelationshipsParser(part: part, package: package)
        try parser.run(data)
        return parser.relationships
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?, attributes: [String: String] = [:]) {
        guard Self.localName(elementName) == "Relationship" else { return }
        guard let id = attributes["Id"], let target = attributes["Target"] else {
            return fail(parser, package.unreadable("a relationship in `\(part)` lacks its `Id` or `Target`"))
        }
        relationships.append(Relationship(id: id, type: attributes["Type"] ?? "", target: target,
                                          isExternal: attributes["TargetMode"] == "External"))
    }
}

private final class WorkbookParser: PartParser {
    var sheets: [Workbook.Sheet] = []
    var date1904 = false
    private var inSheets = false

    static func parse(_ data: Data, part: String,
                      package: ZIPPackage) throws(Diagnostic) -> (sheets: [Workbook.Sheet], date1904: Bool) {
        let parser = WorkbookParser(part: part, package: package)
        try parser.run(data)
        return (parser.sheets, parser.date1904)
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?, attributes: [String: String] = [:]) {
        switch Self.localName(elementName) {
        case "workbookPr":
            date1904 = ["1", "true"].contains(attributes["date1904"]?.lowercased() ?? "")
        case "sheets":
            inSheets = true
        case "sheet" where inSheets:
            guard let name = attributes["name"] else {
                return fail(parser, package.unreadable("a sheet in `\(part)` has no name"))
            }
            // The relationship id is `r:id`, whatever prefix the file binds to the relationships namespace.
            let id = attributes.first { Self.localName($0.key) == "id" && $0.key.contains(":") }?.value
            sheets.append(Workbook.Sheet(name: name, relationshipID: id))
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?) {
        if Self.localName(elementName) == "sheets" { inSheets = false }
    }
}

private final class SharedStringsParser: PartParser {
    var strings: [String] = []
    private var current = ""
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0

    static func parse(_ data: Data, part: String, package: ZIPPackage) throws(Diagnostic) -> [String] {
        let parser = SharedStringsParser(part: part, package: package)
        try parser.run(data)
        return parser.strings
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?, attributes: [String: String] = [:]) {
        switch Self.localName(elementName) {
        case "sst":
            if let count = attributes["uniqueCount"].flatMap(Int.init) { strings.reserveCapacity(min(count, 1 << 20)) }
        case "si":
            inItem = true
            current = ""
        case "rPh": phoneticDepth += 1  // phonetic guides (furigana) are not part of the text
        case "t" where inItem && phoneticDepth == 0: inText = true
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?) {
        switch Self.localName(elementName) {
        case "si":
            strings.append(OOXMLEscapes.decode(current))
            inItem = false
        case "rPh": phoneticDepth -= 1
        case "t": inText = false
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// Which cell formats (`cellXfs`, indexed by a cell's `s`) show numbers as dates.
private final class StylesParser: PartParser {
    private var customFormats: [Int: String] = [:]
    private var formatIDs: [Int] = []
    private var inNumberFormats = false
    private var inCellFormats = false

    static func parse(_ data: Data, part: String, package: ZIPPackage) throws(Diagnostic) -> [Bool] {
        let parser = StylesParser(part: part, package: package)
        try parser.run(data)
        return parser.formatIDs.map { id in
            if let code = parser.customFormats[id] { return DateFormats.isDateFormat(code) }
            return DateFormats.builtInDateIDs.contains(id)
        }
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?, attributes: [String: String] = [:]) {
        switch Self.localName(elementName) {
        case "numFmts": inNumberFormats = true
        case "cellXfs": inCellFormats = true
        case "numFmt" where inNumberFormats:
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] {
                customFormats[id] = code
            }
        case "xf" where inCellFormats:
            formatIDs.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?) {
        switch Self.localName(elementName) {
        case "numFmts": inNumberFormats = false
        case "cellXfs": inCellFormats = false
        default: break
        }
    }
}

/// Excel number formats that show a serial day as a date, and the day a serial stands for.
private enum DateFormats {
    /// Built-in formats that are dates or times: 14–22 and 45–47 in every locale, and 27–36 and
    /// 50–58, the dates of the Chinese, Japanese and Korean locales (`yyyy"年"m"月"d"日"`).
    static let builtInDateIDs: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// Whether a format code shows a date: its first section has `y`, `m` or `d` outside quoted
    /// text, escaped characters and brackets (`[Red]`, `[$-804]`, `[h]`). Digit placeholders
    /// (`0`, `#`) alone make a number format.
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        var skipNext = false
        for scalar in code.unicodeScalars {
            if skipNext {
                skipNext = false
                continue
            }
            if inQuote {
                if scalar == "\"" { inQuote = false }
                continue
            }
            if inBracket {
                if scalar == "]" { inBracket = false }
                continue
            }
            switch scalar {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": skipNext = true  // an escaped character, a space as wide as one, a fill character
            case ";": return false
            case "y", "Y", "m", "M", "d", "D": return true
            default: break
            }
        }
        return false
    }

    /// The day an Excel serial number stands for, as `YYYY-MM-DD`; nil when the text is not a
    /// number or names no day from 1900-01-01 (1904-01-01) to 9999-12-31.
    ///
    /// In the 1900 system serial 1 is 1900-01-01 and serial 60 is 1900-02-29, a day that never
    /// was but that Excel shows (Lotus 1-2-3 took 1900 for a leap year); from 61 on the serials
    /// are one day ahead. The time of day is dropped, after rounding to the millisecond as Excel does.
    static func dateText(serial text: String, date1904: Bool) -> String? {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite,
              value >= 0, value < 3_000_000 else { return nil }
        let day = Int(((value * 86_400_000).rounded() / 86_400_000).rounded(.down))
        let date: LocalDate?
        if date1904 {
            date = LocalDate(year: 1904, month: 1, day: 1)?.adding(days: day)
        } else {
            switch day {
            case ..<1: return nil
            case 60: return "1900-02-29"
            case ..<60: date = LocalDate(year: 1899, month: 12, day: 31)?.adding(days: day)
            default: date = LocalDate(year: 1899, month: 12, day: 30)?.adding(days: day)
            }
        }
        guard let date, date.year <= 9999 else { return nil }
        return date.description
    }
}

/// The rows of one worksheet.
private final class WorksheetParser: PartParser {
    struct Context {
        var sharedStrings: [String]
        var dateStyles: [Bool]
        var date1904: Bool
        var sheetName: String
        var cellLimit: Int
    }

    private let context: Context
    private(set) var rows: [TableRow] = []
    private var sawWorksheet = false
    private var cellsSoFar = 0

    // The row being read: its number and its filled cells as (column, text).
    private var rowNumber = 0
    private var rowCells: [(column: Int, text: String)] = []
    private var inRow = false

    // The cell being read.
    private var inCell = false
    private var cellReference: String?
    private var cellColumn = -1
    private var cellType = "n"
    private var cellStyle = 0
    private var value = ""
    private var inlineText = ""
    private var capturingValue = false
    private var inInlineString = false
    private var capturingInlineText = false
    private var phoneticDepth = 0

    init(part: String, package: ZIPPackage, context: Context) {
        self.context = context
        super.init(part: part, package: package)
    }

    static func parse(_ data: Data, part: String, package: ZIPPackage, context: Context) throws(Diagnostic) -> [TableRow] {
        let parser = WorksheetParser(part: part, package: package, context: context)
        try parser.run(data)
        guard parser.sawWorksheet else {
            throw package.unreadable("`\(part)` (sheet `\(context.sheetName)`) is not a worksheet")
        }
        return parser.rows
    }

    private func cellProblem(_ detail: String) -> Diagnostic {
        let sheet = "sheet `\(context.sheetName)`"
        let place = cellReference.map { "cell `\($0)` of \(sheet)" } ?? "a cell of \(sheet)"
        return package.unreadable("\(place) \(detail)")
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?, attributes: [String: String] = [:]) {
        switch Self.localName(elementName) {
        case "worksheet":
            sawWorksheet = true
        case "row":
            let number: Int
            if let text = attributes["r"] {
                guard let parsed = Int(text), (1...1_048_576).contains(parsed) else {
                    return fail(parser, package.unreadable("sheet `\(context.sheetName)` has a row numbered `\(text)`"))
                }
                number = parsed
            } else {
                number = rowNumber + 1
            }
            rowNumber = number
            rowCells = []
            inRow = true
        case "c" where inRow:
            inCell = true
            cellReference = attributes["r"]
            if let reference = cellReference {
                guard let column = Self.column(ofReference: reference) else {
                    cellReference = nil
                    return fail(parser, package.unreadable("sheet `\(context.sheetName)` has a cell at `\(reference)`, "
                                                           + "which is not a cell reference"))
                }
                cellColumn = column
            } else {
                cellColumn = (rowCells.last?.column ?? -1) + 1
            }
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
            inlineText = ""
        case "v" where inCell:
            capturingValue = true
        case "is" where inCell:
            inInlineString = true
        case "rPh" where inInlineString:
            phoneticDepth += 1
        case "t" where inInlineString && phoneticDepth == 0:
            capturingInlineText = true
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?) {
        switch Self.localName(elementName) {
        case "v": capturingValue = false
        case "t": capturingInlineText = false
        case "rPh" where inInlineString: phoneticDepth -= 1
        case "is": inInlineString = false
        case "c" where inCell:
            inCell = false
            switch cellText() {
            case .success(let text):
                guard !text.isEmpty else { return }
                if let last = rowCells.last, last.column == cellColumn {
                    rowCells[rowCells.count - 1].text = text
                } else {
                    rowCells.append((cellColumn, text))
                }
            case .failure(let problem):
                fail(parser, problem)
            }
        case "row" where inRow:
            inRow = false
            finishRow(parser)
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturingValue {
            value += string
        } else if capturingInlineText {
            inlineText += string
        }
    }

    private func finishRow(_ parser: XMLParser) {
        guard let width = rowCells.map(\.column).max().map({ $0 + 1 }) else { return }
        cellsSoFar += width
        guard cellsSoFar <= context.cellLimit else {
            return fail(parser, .error(.inputTooLarge, "`\(package.file)` is too large to read: sheet `\(context.sheetName)` "
                                       + "has more than \(context.cellLimit) cells", at: nil))
        }
        var cells = [String](repeating: "", count: width)
        for cell in rowCells { cells[cell.column] = cell.text }
        rows.append(TableRow(number: rowNumber, cells: cells))
    }

    private func cellText() -> Result<String, Diagnostic> {
        switch cellType {
        case "s":
            guard !value.isEmpty else { return .success("") }
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)) else {
                return .failure(cellProblem("refers to shared string `\(value)`, which is not a number"))
            }
            guard context.sharedStrings.indices.contains(index) else {
                return .failure(cellProblem("refers to shared string \(index), but the workbook has "
                                            + "\(context.sharedStrings.count)"))
            }
            return .success(context.sharedStrings[index])
        case "inlineStr":
            return .success(OOXMLEscapes.decode(inlineText.isEmpty ? value : inlineText))
        case "b":
            switch value.trimmingCharacters(in: .whitespaces) {
            case "1": return .success("true")
            case "0": return .success("false")
            default: return .success(value)
            }
        case "str":
            return .success(OOXMLEscapes.decode(value))
        case "d":
            // An ISO 8601 date and time; the day is what a record's date holds.
            let day = value.prefix(10)
            return .success(LocalDate(parsing: day) != nil && day.count == 10 ? String(day) : value)
        case "e":
            return .success(value)
        default:
            if context.dateStyles.indices.contains(cellStyle), context.dateStyles[cellStyle], !value.isEmpty,
               let date = DateFormats.dateText(serial: value, date1904: context.date1904) {
                return .success(date)
            }
            return .success(value)
        }
    }

    /// The 0-based column of a reference such as `C7` or `$AB$12`; nil when it is not one or
    /// lies beyond column XFD.
    static func column(ofReference reference: String) -> Int? {
        var column = 0
        var letters = 0
        var digits = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "$"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard digits == 0, letters < 3 else { return nil }
                column = column * 26 + Int((byte & 0xDF) - UInt8(ascii: "A") + 1)
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard letters > 0 else { return nil }
                digits += 1
            default: return nil
            }
        }
        guard letters > 0, column <= 16_384 else { return nil }
        return column - 1
    }
}
