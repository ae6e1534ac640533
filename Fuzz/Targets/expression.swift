import Foundation
import FuzzSupport
import PolicyCheckKit

/// Expression text → lexer, parser, type checker and planner, then evaluation against a real
/// decision record with the bundled pack's parameters, data and calendar in scope.
private let context: (environment: PlanningEnvironment, fields: [Value]) = {
    let pack = FuzzSupport.bundledPack
    let file = FuzzSupport.repositoryRoot + "/samples/decisions/ok-01-guotu-kongjian-guihua.yaml"
    let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    let record = DocumentRecordReader(schemas: pack.schemas).read(text: text, file: file).records.first
    return (pack.environment(recordShape: record?.value.shape), record?.value.fields ?? [])
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    switch CompiledExpression.compile(text, environment: context.environment) {
    case .failure(let diagnostic):
        _ = FuzzSupport.render([diagnostic], sources: ["<expression>": text])
    case .success(let compiled):
        if case .success(let value) = compiled.evaluate(fields: context.fields) { _ = value.literalDescription }
    }
    return 0
}
