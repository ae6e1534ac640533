import ArgumentParser
import Foundation
import PolicyCheckKit

/// `policycheck init`: a commented starter `.policycheck.yml` in the working directory.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a commented starter .policycheck.yml in the working directory.",
        discussion: "Every key is documented in the file; the keys left active are the defaults, so it changes nothing until edited."
    )

    @Flag(name: .long, help: "Overwrite an existing .policycheck.yml.")
    var force = false

    func run() throws {
        let path = Configuration.fileName
        if FileManager.default.fileExists(atPath: path), !force {
            Console.error("error: `\(path)` already exists; pass --force to overwrite it [file-exists]")
            throw ExitCode(2)
        }
        do {
            try Files.writeAtomically(ConfigurationTemplate.starter, to: path)
        } catch {
            Console.error("error: cannot write `\(path)`: \(error.localizedDescription) [file-unwritable]")
            throw ExitCode(2)
        }
        Console.out("wrote \(path)\n")
    }
}
