import Logging
import PolicyCheckKit

/// The pack in force, swapped whole on SIGHUP: a request uses the pack it started with.
public final class PackStore: Sendable {
    private let served: Locked<ServedPack>
    /// Where reloads read from; nil for a pack given in memory (tests), which cannot be reloaded.
    public let source: PackSource?

    public init(_ pack: ServedPack, source: PackSource?) {
        served = Locked(pack)
        self.source = source
    }

    /// The pack now in force.
    public var current: ServedPack { served.current }

    /// Compiles the pack again from its source; a pack with errors is refused and the old one keeps serving.
    @discardableResult
    public func reload(logger: Logger) -> Result<ServedPack, PackLoadFailure> {
        guard let source else {
            let failure = PackLoadFailure(directory: "(in memory)", diagnostics: [], rendered: "")
            logger.error("reload refused: the pack was not loaded from a folder")
            return .failure(failure)
        }
        switch source.load() {
        case .success(let pack):
            let previous = served.withLock { value in
                defer { value = pack }
                return value.contentHash
            }
            logger.notice("pack reloaded", metadata: ["pack.id": "\(pack.pack.manifest.id)", "pack.hash": "\(pack.contentHash)",
                                                      "pack.previous_hash": "\(previous)"])
            return .success(pack)
        case .failure(let failure):
            logger.error("reload refused: \(failure.description); the old pack keeps serving",
                         metadata: ["pack.hash": "\(current.contentHash)"])
            logger.error("\(failure.rendered)")
            return .failure(failure)
        }
    }
}
