import Foundation

/// Bounds on what reading inputs and evaluating rules may cost, so that a hostile or broken input
/// ends in a located error (or a `limit-exceeded` finding) instead of an exhausted machine.
///
/// Each limit has a name, as `policycheck --limit NAME=VALUE` takes it; the defaults are far above
/// what real packs and records need.
public struct ResourceLimits: Sendable, Equatable {
    /// Nodes of one YAML document once aliases are expanded (an alias bomb stops here).
    public var yamlNodes = 2_000_000
    /// Nesting of YAML collections.
    public var yamlDepth = 512
    /// Nesting of JSON arrays and objects.
    public var jsonDepth = 256
    /// Nesting of an expression, its chains of operators, indexes and calls included.
    public var expressionDepth = 200
    /// Steps of one rule's evaluation for one record: macro iterations, list elements concatenated,
    /// 64 bytes of a string concatenated, regular-expression states per character.
    public var evaluationSteps = 1_000_000
    /// Bytes of one CSV row or JSON Lines line; a longer one is an input error and is skipped unread.
    public var rowBytes = 16 << 20
    /// Bytes of a file read whole: YAML and JSON records, XLSX workbooks.
    public var fileBytes = 256 << 20
    /// Bytes of an XLSX worksheet's XML once uncompressed (a zip bomb stops here).
    public var xlsxSheetBytes = 512 << 20
    /// Bytes of any other XLSX part once uncompressed (shared strings, styles).
    public var xlsxPartBytes = 64 << 20
    /// Cells of an XLSX sheet, the empty ones that fill gaps included.
    public var xlsxCells = 1 << 25

    public init() {}

    /// Every limit: its name for `--limit`, what it bounds, and its default.
    public static let catalogue: [(name: String, summary: String, defaultValue: Int)] = {
        let defaults = ResourceLimits()
        return names.map { name in
            (name.name, name.summary, defaults.value(of: name.name) ?? 0)
        }
    }()

    private static let names: [(name: String, summary: String)] = [
        ("yaml-nodes", "nodes of one YAML document, aliases expanded"),
        ("yaml-depth", "nesting of YAML collections"),
        ("json-depth", "nesting of JSON arrays and objects"),
        ("expression-depth", "nesting of an expression"),
        ("evaluation-steps", "steps of one rule's evaluation for one record"),
        ("row-bytes", "bytes of one CSV row or JSON Lines line"),
        ("file-bytes", "bytes of a YAML, JSON or XLSX file, which is read whole"),
        ("xlsx-sheet-bytes", "bytes of an XLSX sheet's XML, uncompressed"),
        ("xlsx-part-bytes", "bytes of any other XLSX part, uncompressed"),
        ("xlsx-cells", "cells of an XLSX sheet"),
    ]

    /// The value of the limit called `name`, or nil for an unknown name.
    public func value(of name: String) -> Int? {
        switch name {
        case "yaml-nodes": yamlNodes
        case "yaml-depth": yamlDepth
        case "json-depth": jsonDepth
        case "expression-depth": expressionDepth
        case "evaluation-steps": evaluationSteps
        case "row-bytes": rowBytes
        case "file-bytes": fileBytes
        case "xlsx-sheet-bytes": xlsxSheetBytes
        case "xlsx-part-bytes": xlsxPartBytes
        case "xlsx-cells": xlsxCells
        default: nil
        }
    }

    /// Sets the limit called `name`; false for an unknown name.
    public mutating func set(_ name: String, to value: Int) -> Bool {
        switch name {
        case "yaml-nodes": yamlNodes = value
        case "yaml-depth": yamlDepth = value
        case "json-depth": jsonDepth = value
        case "expression-depth": expressionDepth = value
        case "evaluation-steps": evaluationSteps = value
        case "row-bytes": rowBytes = value
        case "file-bytes": fileBytes = value
        case "xlsx-sheet-bytes": xlsxSheetBytes = value
        case "xlsx-part-bytes": xlsxPartBytes = value
        case "xlsx-cells": xlsxCells = value
        default: return false
        }
        return true
    }

    /// `NAME=VALUE`, the value a whole number, optionally with `KiB`, `MiB` or `GiB`.
    public mutating func apply(_ setting: String) -> Result<Void, Diagnostic> {
        let parts = setting.split(separator: "=", maxSplits: 1).map { String($0.trimmingSpaces()) }
        let known = Self.names.map(\.name)
        guard parts.count == 2, value(of: parts[0]) != nil else {
            let name = parts.first ?? setting
            return .failure(.error(.invalidValue, "unknown limit `\(name)`", at: nil,
                                   help: Suggestion.help(for: name, in: known) ?? "limits: \(known.joined(separator: ", "))"))
        }
        guard let number = Self.number(parts[1]), number > 0 else {
            return .failure(.error(.invalidValue, "limit `\(parts[0])` needs a positive whole number, found `\(parts[1])`",
                                   at: nil, help: "sizes may end in KiB, MiB or GiB, e.g. `row-bytes=64MiB`"))
        }
        _ = set(parts[0], to: number)
        return .success(())
    }

    private static func number(_ text: String) -> Int? {
        let units: [(suffix: String, shift: Int)] = [("KiB", 10), ("MiB", 20), ("GiB", 30)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let base = Int(text.dropLast(unit.suffix.count).trimmingSpaces()), base <= Int.max >> unit.shift else {
                return nil
            }
            return base << unit.shift
        }
        return Int(text.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: ""))
    }

    /// The error for a file that is read whole and is larger than `limit`; `why` says why it is read whole.
    public static func fileTooLarge(_ file: String, size: Int, limit: Int, why: String) -> Diagnostic {
        .error(.inputTooLarge, "`\(file)` is \(ByteCount.describe(size)), more than the limit of \(ByteCount.describe(limit)); \(why)",
               at: nil, help: "the limit is `file-bytes`: raise it with `--limit file-bytes=…`")
    }

    /// The YAML reader's share.
    public var yaml: YAMLSource.Limits { YAMLSource.Limits(maxNodes: yamlNodes, maxDepth: yamlDepth) }

    /// The XLSX reader's share.
    public var xlsx: XLSXReader.Limits { XLSXReader.Limits(sheet: xlsxSheetBytes, otherPart: xlsxPartBytes, cells: xlsxCells) }
}
