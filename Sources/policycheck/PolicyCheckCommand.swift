import ArgumentParser
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
        subcommands: [Check.self, Test.self, Eval.self, Rules.self]
    )
}
