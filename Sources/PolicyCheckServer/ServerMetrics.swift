import CoreMetrics
import Foundation
import Hummingbird
import Metrics
import PolicyCheckKit
import Prometheus

/// The server's metrics through swift-metrics, kept in its own Prometheus registry so that each
/// application (and each test) counts alone and `/metrics` prints only them.
public final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let requestMetrics = Locked<[RequestKey: RequestHandles]>([:])
    private let findingCounters = Locked<[FindingKey: CoreMetrics.Counter]>([:])
    private let reloadCounters = Locked<[String: CoreMetrics.Counter]>([:])

    static let requestsLabel = "policycheck_http_requests_total"
    static let durationLabel = "policycheck_http_request_duration_seconds"
    static let findingsLabel = "policycheck_findings_total"
    static let recordsLabel = "policycheck_records_checked_total"
    static let reloadsLabel = "policycheck_pack_reloads_total"

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct RequestHandles {
        var counter: CoreMetrics.Counter
        var timer: CoreMetrics.Timer
    }

    private struct FindingKey: Hashable {
        var rule: String
        var severity: String
    }

    private let records: CoreMetrics.Counter

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // A check answers in well under a millisecond; the default buckets start at 5 ms.
        factory.durationHistogramBuckets[Self.durationLabel] = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
        records = CoreMetrics.Counter(label: Self.recordsLabel, dimensions: [], factory: factory)
    }

    /// Counts one answered request and its latency, by route pattern, method and status.
    func recordRequest(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, nanoseconds: UInt64) {
        let key = RequestKey(route: route, method: method.rawValue, status: status.code)
        let handles = requestMetrics.withLock { cache in
            if let handles = cache[key] { return handles }
            let dimensions = [("route", key.route), ("method", key.method), ("status", String(key.status))]
            let handles = RequestHandles(
                counter: CoreMetrics.Counter(label: Self.requestsLabel, dimensions: dimensions, factory: factory),
                timer: CoreMetrics.Timer(label: Self.durationLabel, dimensions: Array(dimensions.prefix(2)), factory: factory))
            cache[key] = handles
            return handles
        }
        handles.counter.increment()
        handles.timer.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// Counts a report's records and its findings by rule and severity.
    func recordReport(_ report: Report) {
        records.increment(by: report.recordCount)
        var counts: [FindingKey: Int] = [:]
        for finding in report.findings { counts[FindingKey(rule: finding.ruleID, severity: finding.severity.rawValue), default: 0] += 1 }
        for (key, count) in counts {
            let counter = findingCounters.withLock { cache in
                if let counter = cache[key] { return counter }
                let counter = CoreMetrics.Counter(label: Self.findingsLabel, dimensions: [("rule", key.rule), ("severity", key.severity)],
                                                  factory: factory)
                cache[key] = counter
                return counter
            }
            counter.increment(by: count)
        }
    }

    /// Counts a SIGHUP reload, `ok` or `refused`.
    func recordReload(succeeded: Bool) {
        let result = succeeded ? "ok" : "refused"
        let counter = reloadCounters.withLock { cache in
            if let counter = cache[result] { return counter }
            let counter = CoreMetrics.Counter(label: Self.reloadsLabel, dimensions: [("result", result)], factory: factory)
            cache[result] = counter
            return counter
        }
        counter.increment()
    }

    /// Every metric in the Prometheus text format.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}

/// Records every request's route, status and latency, after the problem middleware has turned errors into answers.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let response = try await next(request, context)
            metrics.recordRequest(route: context.endpointPath ?? "unmatched", method: request.method, status: response.status,
                                  nanoseconds: DispatchTime.now().uptimeNanoseconds &- start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            metrics.recordRequest(route: context.endpointPath ?? "unmatched", method: request.method, status: status,
                                  nanoseconds: DispatchTime.now().uptimeNanoseconds &- start)
            throw error
        }
    }
}
