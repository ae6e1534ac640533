import ArgumentParser
import Foundation
import Logging
import PolicyCheckKit
import PolicyCheckServer

/// `policycheck serve`: the HTTP service a submission system calls before it accepts a record.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the check API, the clerk's page, health, readiness and metrics over HTTP.",
        discussion: """
            The pack is compiled once at start-up; SIGHUP compiles it again from the same place and swaps it in \
            only if it has no errors. SIGTERM or SIGINT stops taking connections and finishes the requests in flight.
            """
    )

    @Option(name: .long, help: "Address to listen on; the default is loopback only.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on; 0 picks a free one.")
    var port = 8421

    @Option(name: .customLong("token-file"), help: "A file holding a bearer token that every /v1/* request must send.")
    var tokenFile: String?

    @Option(name: .customLong("max-body"), help: "Largest /v1/check body in bytes.")
    var maxBody = 1 << 20

    @Option(name: .customLong("max-audit-body"), help: "Largest /v1/audit upload in bytes.")
    var maxAuditBody = 16 << 20

    @Option(name: .customLong("decision-log"), help: "Append one JSON line per record checked to this file.")
    var decisionLog: String?

    @Option(name: .customLong("mask-field"), help: "A field path whose values the decision log masks, e.g. title or id (repeatable).")
    var maskedFields: [String] = []

    @OptionGroup var packOptions: PackOptions

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port is 0 to 65535, found \(port)") }
        if maxBody < 1 { throw ValidationError("--max-body is at least 1 byte") }
        if maxAuditBody < 1 { throw ValidationError("--max-audit-body is at least 1 byte") }
    }

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "policycheck.serve")
        let configuration = try packOptions.loadConfiguration()
        guard let directory = PackLocator.locate(explicit: packOptions.pack, configuration: configuration) else {
            Console.error("error: cannot find the bundled rule pack; pass --pack DIR or set POLICYCHECK_PACK [pack-not-found]")
            throw ExitCode(2)
        }
        let profile = packOptions.profile.map { Located($0, at: SourceLocation(file: "--profile", line: 1, column: 1)) }
            ?? configuration.profile
        let source = PackSource(directory: directory, options: PackCompiler.Options(
            parameterOverrides: configuration.parameterOverrides,
            enabledRules: Set(packOptions.enabledRules + configuration.enabledRules), profile: profile))
        let served: ServedPack
        switch source.load() {
        case .success(let pack): served = pack
        case .failure(let failure):
            Console.error(failure.rendered)
            Console.error("error: \(failure.description)")
            throw ExitCode(2)
        }
        var token: String?
        if let tokenFile {
            guard case .success(let text) = Files.text(at: tokenFile),
                  case let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
                Console.error("error: cannot read a token from `\(tokenFile)` [file-unreadable]")
                throw ExitCode(2)
            }
            token = trimmed
        }
        var log: DecisionLog?
        if let decisionLog {
            do { log = try DecisionLog(path: decisionLog, maskedFields: Set(maskedFields)) } catch {
                Console.error("error: \(error) [file-unwritable]")
                throw ExitCode(2)
            }
        }
        let server = ServerConfiguration(host: host, port: port, bearerToken: token, maxBodyBytes: maxBody,
                                         maxAuditBytes: maxAuditBody, decisionLogPath: decisionLog, maskedFields: Set(maskedFields))
        do {
            try PolicyCheckServer.runBlocking(store: PackStore(served, source: source), configuration: server,
                                              decisionLog: log, logger: logger)
        } catch {
            Console.error("error: the server stopped: \(error)")
            throw ExitCode(1)
        }
    }
}
