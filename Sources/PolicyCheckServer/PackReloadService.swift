import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the pack on SIGHUP, atomically: a pack with errors is refused, its errors logged, and the
/// old pack keeps serving.
struct PackReloadService: Service {
    let store: PackStore
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            logger.notice("SIGHUP: reloading the pack")
            let result = store.reload(logger: logger)
            if case .success = result { metrics.recordReload(succeeded: true) } else { metrics.recordReload(succeeded: false) }
        }
    }
}
