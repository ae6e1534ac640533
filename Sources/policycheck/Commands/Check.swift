import ArgumentParser
import PolicyCheckKit

/// `policycheck check FILE…`: validate records before submission.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check YAML or JSON records against the pack's per-record rules.",
        discussion: "Each file may hold one record, a list of records or several YAML documents."
    )

    @Argument(help: "Record files (.yaml, .yml, .json).")
    var files: [String]

    @Option(name: .long, help: "Record type for records without a `type` field.")
    var type: String?

    @OptionGroup var packOptions: PackOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var gateOptions: GateOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one record file") }
    }

    func run() throws {
        let configuration = try packOptions.loadConfiguration()
        try InputProtection.refuseOverwriting(files, with: outputOptions.targets(configuration: configuration))
        let pack = try packOptions.loadPack(configuration: configuration)
        if let type, pack.schemas[type] == nil {
            Console.error("error: unknown record type `\(type)`; types: \(pack.schemas.keys.sorted().joined(separator: ", ")) [unknown-record-type]")
            throw ExitCode(2)
        }
        let language = outputOptions.lang ?? configuration.language ?? .zh
        let check = RecordCheck(pack: pack, language: language, defaultType: type)
        let checked = check.run(files.map { RecordCheck.Input(file: $0, text: Files.text(at: $0, limit: pack.limits.fileBytes)) })
        let report = try gateOptions.apply(to: checked, pack: pack, configuration: configuration)
        let code = try outputOptions.emit(report, pack: pack, configuration: configuration)
        if code != 0 { throw ExitCode(code) }
    }
}
