import Foundation
import FuzzSupport
import PolicyCheckKit

/// One rule file's bytes inside an otherwise fixed pack (a copy of the tests' mini pack) → the pack
/// loader's strict YAML, the compiler's stages, the rule's examples run, and every diagnostic rendered.
private let packDirectory: String = {
    let directory = FuzzSupport.scratchDirectory + "/pack"
    try? FileManager.default.removeItem(atPath: directory)
    do {
        try FileManager.default.copyItem(atPath: FuzzSupport.miniPackPath, toPath: directory)
    } catch {
        FileHandle.standardError.write(Data("cannot copy the mini pack: \(error)\n".utf8))
        exit(2)
    }
    return directory
}()
private let ruleFile = "rules/c01/MINI-CAP.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPack(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let directory = packDirectory
    _ = FuzzSupport.write(UnsafeRawBufferPointer(start: data, count: size), to: "pack/" + ruleFile)
    let compilation = PackCompiler.compile(directory: directory)
    _ = FuzzSupport.render(compilation.diagnostics, sources: compilation.sources)
    if let pack = compilation.pack { _ = PackTestRunner(pack: pack).run() }
    return 0
}
