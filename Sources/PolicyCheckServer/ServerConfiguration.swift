import PolicyCheckKit

/// How `policycheck serve` runs: where it listens, what it accepts, what it logs.
public struct ServerConfiguration: Sendable {
    /// The address to bind; loopback unless the operator asks for more.
    public var host: String
    public var port: Int
    /// When set, every `/v1/*` request must carry `Authorization: Bearer <token>`.
    public var bearerToken: String?
    /// The largest body `/v1/check` reads; past it the answer is 413.
    public var maxBodyBytes: Int
    /// The largest upload `/v1/audit` reads.
    public var maxAuditBytes: Int
    /// A JSON-lines file that gets one line per record checked; nil for none.
    public var decisionLogPath: String?
    /// Field paths whose values the decision log replaces with `***` (`id` masks the record id).
    public var maskedFields: Set<String>

    public init(host: String = "127.0.0.1", port: Int = 8421, bearerToken: String? = nil,
                maxBodyBytes: Int = 1 << 20, maxAuditBytes: Int = 16 << 20,
                decisionLogPath: String? = nil, maskedFields: Set<String> = []) {
        self.host = host
        self.port = port
        self.bearerToken = bearerToken
        self.maxBodyBytes = maxBodyBytes
        self.maxAuditBytes = maxAuditBytes
        self.decisionLogPath = decisionLogPath
        self.maskedFields = maskedFields
    }
}
