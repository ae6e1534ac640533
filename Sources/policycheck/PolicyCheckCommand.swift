import ArgumentParser
import Foundation
import PolicyCheckKit

@main
struct PolicyCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policycheck",
        abstract: "Check decision, spending and activity records against rules drawn from government provisions.",
        discussion: """
            The bundled pack encodes 绍政发〔2022〕6号. Exit status: 0 nothing at or above --fail-on, \
            1 findings at or above it, 2 the check could not be completed (usage, pack or input error).
            """,
        version: PolicyCheckVersion.current,
        subcommands: [Check.self, Audit.self, Test.self, Eval.self, Rules.self, Serve.self, Init.self]
    )

    /// As `ParsableCommand.main()`, but a usage error exits 2, as CI expects of "the check could not be completed".
    static func main() {
        // A closed pipe (`policycheck rules list | head`) is an ordinary end: writes see EPIPE and the
        // console ends quietly, instead of the process dying of SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Console.error(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
