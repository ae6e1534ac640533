import Dispatch
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds and runs the HTTP service of `policycheck serve`: the check API, the clerk's page,
/// health, readiness and metrics, over one pack compiled once and swapped on SIGHUP.
public enum PolicyCheckServer {
    /// The router with every route and middleware: what the tests drive without a socket.
    public static func router(store: PackStore, configuration: ServerConfiguration, metrics: ServerMetrics,
                              decisionLog: DecisionLog? = nil) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware())
        if let token = configuration.bearerToken {
            router.add(middleware: BearerTokenMiddleware(token: token))
        }
        CheckRoutes(store: store, configuration: configuration, metrics: metrics, decisionLog: decisionLog).add(to: router)
        AuditRoutes(store: store, configuration: configuration, metrics: metrics).add(to: router)
        RuleRoutes(store: store).add(to: router)
        HealthRoutes(store: store, metrics: metrics).add(to: router)
        PageRoutes(store: store).add(to: router)
        return router
    }

    /// The application: the router on `host:port`, with the SIGHUP reload service beside it.
    public static func application(store: PackStore, configuration: ServerConfiguration, metrics: ServerMetrics = ServerMetrics(),
                                   decisionLog: DecisionLog? = nil, logger: Logger,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = router(store: store, configuration: configuration, metrics: metrics, decisionLog: decisionLog)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "policycheck"),
            services: [PackReloadService(store: store, metrics: metrics, logger: logger)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then stops taking connections and finishes the requests in flight.
    public static func run(store: PackStore, configuration: ServerConfiguration, decisionLog: DecisionLog?, logger: Logger) async throws {
        let app = application(store: store, configuration: configuration, decisionLog: decisionLog, logger: logger) { port in
            let served = store.current
            logger.notice("policycheck serve listening on http://\(configuration.host):\(port)",
                          metadata: ["pack.id": "\(served.pack.manifest.id)", "pack.hash": "\(served.contentHash)"])
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

extension PolicyCheckServer {
    /// `run` for a synchronous caller (the command line): blocks until the server has stopped.
    public static func runBlocking(store: PackStore, configuration: ServerConfiguration, decisionLog: DecisionLog?,
                                   logger: Logger) throws {
        let outcome = Locked<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await run(store: store, configuration: configuration, decisionLog: decisionLog, logger: logger)
            } catch {
                outcome.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.current { throw error }
    }
}
