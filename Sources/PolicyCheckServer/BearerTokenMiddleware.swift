import Hummingbird

/// With `--token-file`, every `/v1/*` request needs `Authorization: Bearer <token>`; the page,
/// health, readiness, metrics and the OpenAPI description stay open.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) {
        self.token = Array(token.utf8)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") else { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        let scheme = "bearer "
        if header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme,
           Self.constantTimeEqual(Array(header.utf8.dropFirst(scheme.utf8.count)), token) {
            return try await next(request, context)
        }
        let message = header.isEmpty ? "this endpoint needs `Authorization: Bearer <token>`" : "the bearer token is not accepted"
        return Responses.problem(.unauthorized, code: "unauthorized", message: message,
                                 headers: [.wwwAuthenticate: #"Bearer realm="policycheck""#])
    }

    /// Compares without stopping at the first difference, so timing does not tell how much of a guess was right.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
