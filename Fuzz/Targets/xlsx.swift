import Foundation
import FuzzSupport
import PolicyCheckKit

/// Workbook bytes → the zip directory, inflation under limits, the workbook, relationship, shared
/// string, style and sheet XML, then the header row matched to a schema as `audit` does.
private let schemas = FuzzSupport.bundledPack.schemas
/// Small enough that a bomb is refused in milliseconds; the default limits are tested by the suite.
private let limits = XLSXReader.Limits(sheet: 4 << 20, otherPart: 1 << 20, cells: 1 << 16)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    _ = XLSXReader.sheetNames(data: bytes, file: "input.xlsx", limits: limits)
    guard case .success(let rows) = XLSXReader.rows(data: bytes, file: "input.xlsx", sheet: nil, limits: limits),
          let header = rows.first else { return 0 }
    if case .success(let schema) = TableBinder.schema(for: header.cells, schemas: schemas, type: nil, file: "input.xlsx") {
        _ = TableBinder(header: header.cells, schema: schema, file: "input.xlsx").headerDiagnostics
    }
    return 0
}
