import Hummingbird
import Logging

/// Turns every error a route or the router throws into a JSON answer with its status: an unknown
/// path is 404, a known path with another method 405 (with `Allow`), anything unexpected 500 —
/// logged, never a crash and never an empty body.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Hummingbird's not-found responder names its endpoint `NotFound`; a route's own 404 keeps its path.
            if error.status == .notFound, context.endpointPath == nil || context.endpointPath == "NotFound" {
                let path = request.uri.path
                if let allowed = RouteTable.methods(for: path), !allowed.contains(request.method) {
                    return Responses.problem(.methodNotAllowed, code: "method-not-allowed",
                                             message: "`\(path)` does not take \(request.method.rawValue)",
                                             headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")])
                }
                return Responses.problem(.notFound, code: "not-found", message: "no such endpoint `\(path)`")
            }
            let message = (error as? HTTPError)?.body ?? error.status.reasonPhrase.lowercased()
            return Responses.problem(error.status, code: Self.code(for: error.status), message: message)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return Responses.problem(.internalServerError, code: "internal", message: "the server could not answer this request")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        status.reasonPhrase.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }
}

/// The routes the server answers, for 405 answers and the bearer-token check.
enum RouteTable {
    /// The methods a path takes, or nil when no route has that path.
    static func methods(for path: String) -> [HTTPRequest.Method]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        switch parts.count {
        case 0: return [.get]
        case 1:
            switch parts[0] {
            case "healthz", "readyz", "metrics", "openapi.yaml": return [.get]
            default: return nil
            }
        case 2 where parts[0] == "v1":
            switch parts[1] {
            case "check", "audit": return [.post]
            case "rules", "coverage", "schemas": return [.get]
            default: return nil
            }
        case 3 where parts[0] == "v1" && (parts[1] == "rules" || parts[1] == "schemas"):
            return [.get]
        default:
            return nil
        }
    }
}
