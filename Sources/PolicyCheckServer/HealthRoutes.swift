import Foundation
import Hummingbird
import NIOCore

/// `GET /healthz` (the process answers), `GET /readyz` (a pack is loaded: its id and content hash)
/// and `GET /metrics` (Prometheus text).
struct HealthRoutes: Sendable {
    let store: PackStore
    let metrics: ServerMetrics

    /// Written once: the trivial endpoint the load test compares `/v1/check` with.
    private static let alive = ByteBuffer(string: "{\"status\":\"ok\"}\n")

    struct Readiness: Encodable {
        struct Pack: Encodable {
            var id: String
            var document: String
            var hash: String
            var loadedAt: String
            var rules: Int
            var recordTypes: [String]
        }

        var status: String
        var pack: Pack
    }

    func add(to router: Router<some RequestContext>) {
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: Responses.jsonType], body: ResponseBody(byteBuffer: Self.alive))
        }
        router.get("/readyz") { _, _ in
            let served = store.current
            let formatter = ISO8601DateFormatter()
            return Responses.json(Readiness(status: "ready", pack: .init(
                id: served.pack.manifest.id, document: served.pack.manifest.document.number, hash: served.contentHash,
                loadedAt: formatter.string(from: served.loadedAt),
                rules: served.pack.rules.count + served.pack.aggregateRules.count, recordTypes: served.recordTypes)))
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }
}

/// `GET /` (the clerk's page) and `GET /openapi.yaml` (the API's description, with the pack's record types).
struct PageRoutes: Sendable {
    let store: PackStore

    func add(to router: Router<some RequestContext>) {
        let page = ByteBuffer(string: ClerkPage.html)
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8",
                                            .contentSecurityPolicy: "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:"],
                     body: ResponseBody(byteBuffer: page))
        }
        router.get("/openapi.yaml") { _, _ in
            Responses.text(OpenAPIDocument.yaml(recordTypes: store.current.recordTypes), contentType: "application/yaml; charset=utf-8")
        }
    }
}
