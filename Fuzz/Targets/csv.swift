import Foundation
import FuzzSupport
import PolicyCheckKit

/// Raw CSV bytes → the `audit` job: encoding detection (UTF-8, BOM, GB18030, neither), row scanning,
/// header matching through the schemas' aliases, cell binding, and the per-record and aggregate rules.
private let pack = FuzzSupport.bundledPack

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzSupport.write(UnsafeRawBufferPointer(start: data, count: size), to: "input.csv")
    let report = AuditRun(pack: pack, options: AuditOptions(language: .en, workers: 1, blockBytes: 1 << 16)).run([path])
    _ = FuzzSupport.render(report.inputErrors + report.inputWarnings, sources: [:])
    return 0
}
