import Foundation
import PolicyCheckKit

/// Finds the pack to use: `--pack`, the configuration's `pack`, `$POLICYCHECK_PACK`, then the bundled
/// pack — in the working directory's `rules/`, beside the executable's checkout, or in `share/policycheck`.
enum PackLocator {
    static let bundledPackName = "shaoxing-2022-6"

    static func locate(explicit: String?, configuration: Configuration) -> String? {
        if let explicit { return explicit }
        if let configured = configuration.pack { return configured }
        if let environment = ProcessInfo.processInfo.environment["POLICYCHECK_PACK"], !environment.isEmpty { return environment }
        return bundledPack()
    }

    static func bundledPack() -> String? {
        let manager = FileManager.default
        let relative = "rules/\(bundledPackName)"
        if manager.fileExists(atPath: relative + "/pack.yaml") { return relative }
        // The running executable itself (argv[0] is only a name when the binary was found on PATH).
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            for candidate in [relative, "share/policycheck/\(relative)"] {
                let path = directory.appendingPathComponent(candidate).path
                if manager.fileExists(atPath: path + "/pack.yaml") { return path }
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}
