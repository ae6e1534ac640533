import Foundation
import PolicyCheckKit

/// What every fuzz target shares: the repository's packs, compiled once per process, and a scratch
/// folder for the entry points that read files by path.
public enum FuzzSupport {
    /// The checkout the targets were built from: the packs and samples are read from it at run time.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static let bundledPackPath = repositoryRoot + "/rules/shaoxing-2022-6"
    public static let miniPackPath = repositoryRoot + "/Tests/PolicyCheckKitTests/Fixtures/mini-pack"

    /// The bundled pack; a target cannot run without it, so a pack that does not compile stops the process.
    public static let bundledPack: CompiledPack = compile(bundledPackPath)

    public static func compile(_ directory: String) -> CompiledPack {
        let compilation = PackCompiler.compile(directory: directory)
        guard let pack = compilation.pack else {
            FileHandle.standardError.write(Data("the pack at \(directory) does not compile:\n".utf8))
            for diagnostic in compilation.diagnostics {
                FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
            }
            exit(2)
        }
        return pack
    }

    /// A folder of this process's own, in memory where the system has one, so writing an input per run stays cheap.
    public static let scratchDirectory: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = base + "/policycheck-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Writes `bytes` to `name` in the scratch folder, replacing what was there, and returns its path.
    public static func write(_ bytes: UnsafeRawBufferPointer, to name: String) -> String {
        let path = scratchDirectory + "/" + name
        let handle = fopen(path, "wb")
        if let handle {
            if bytes.count > 0, let base = bytes.baseAddress { fwrite(base, 1, bytes.count, handle) }
            fclose(handle)
        }
        return path
    }

    /// Renders diagnostics with their source lines, as the command line does, so the caret arithmetic runs too.
    public static func render(_ diagnostics: [Diagnostic], sources: [String: String]) -> String {
        DiagnosticRenderer(colored: false) { sources[$0] }.render(diagnostics)
    }
}
