import Foundation
import Hummingbird
import HummingbirdTesting
import PolicyCheckKit
import PolicyCheckServer

/// The repository, the bundled pack compiled once, and an application around it for each test.
enum ServerFixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let packPath = root + "/rules/shaoxing-2022-6"
    static let decisions = root + "/samples/decisions"

    static let served: ServedPack = {
        switch PackSource(directory: packPath).load() {
        case .success(let pack): return pack
        case .failure(let failure): fatalError("the bundled pack does not compile:\n\(failure.rendered)")
        }
    }()

    static func application(_ configuration: ServerConfiguration = ServerConfiguration(), store: PackStore? = nil,
                            metrics: ServerMetrics = ServerMetrics(), decisionLog: DecisionLog? = nil) -> some ApplicationProtocol {
        let router = PolicyCheckServer.router(store: store ?? PackStore(served, source: PackSource(directory: packPath)),
                                              configuration: configuration, metrics: metrics, decisionLog: decisionLog)
        return Application(router: router)
    }

    static func sample(_ name: String) throws -> String {
        try String(contentsOfFile: decisions + "/" + name, encoding: .utf8)
    }

    static var sampleNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: decisions)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
    }

    /// The report the library writes for `text` read as `file`: what the API must answer.
    static func expectedReport(_ text: String, file: String, language: Language = .zh) throws -> String {
        let report = RecordCheck(pack: served.pack, language: language).run([RecordCheck.Input(file: file, text: .success(text))])
        return try JSONFormatter().format(report, pack: served.pack, options: FormatOptions(language: language))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }
}

/// Reads a value out of decoded JSON by keys and indexes, for short assertions.
func dig(_ value: Any?, _ path: Any...) -> Any? {
    var current = value
    for step in path {
        if let key = step as? String { current = (current as? [String: Any])?[key] } else if let index = step as? Int {
            guard let array = current as? [Any], array.indices.contains(index) else { return nil }
            current = array[index]
        }
    }
    return current
}
