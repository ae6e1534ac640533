import Foundation
import FuzzSupport
import PolicyCheckKit

/// Record file bytes → the `check` job: UTF-8 decoding, then the same text as a YAML file and as a
/// strict JSON file, bound to the bundled pack's schemas and run through every per-record rule.
private let check = RecordCheck(pack: FuzzSupport.bundledPack, language: .en)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecords(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    guard let text = String(data: bytes, encoding: .utf8) else { return 0 }
    let report = check.run(["input.yaml", "input.json"].map { RecordCheck.Input(file: $0, text: .success(text)) })
    _ = FuzzSupport.render(report.inputErrors + report.inputWarnings, sources: ["input.yaml": text, "input.json": text])
    return 0
}
