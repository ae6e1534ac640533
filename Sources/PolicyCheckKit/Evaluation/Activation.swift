/// The mutable state of one evaluation: the record's field slots and the local slots of
/// `let` names, macro variables and bound variables.
///
/// One activation per worker, reused record after record; compiled closures read it by index.
public final class Activation {
    public var fields: [Value]
    /// The audit period as `period` reads it, or null outside an audit.
    public var period: Value = .null
    var locals: [Value]
    var localErrors: [EvaluationError?]
    /// `let` values are computed on first use within one evaluation: a slot is current when its stamp is.
    var letStamps: [Int]
    var stamp = 1
    /// Iterations and list elements left before evaluation stops with `limit-exceeded`.
    var budget: Int
    let initialBudget: Int

    public init(localCount: Int, budget: Int = 1_000_000) {
        fields = []
        locals = Array(repeating: .null, count: localCount)
        localErrors = Array(repeating: nil, count: localCount)
        letStamps = Array(repeating: 0, count: localCount)
        self.budget = budget
        initialBudget = budget
    }

    func reset(fields: [Value]) {
        self.fields = fields
        budget = initialBudget
        stamp &+= 1
    }

    /// Lets go of the record's fields once it is evaluated, so the reader that made them holds the only
    /// reference and can fill the same storage with the next row.
    func releaseFields() {
        fields = []
    }

    /// Starts a new evaluation over the same fields: `let` values computed so far are stale.
    func invalidateLets() {
        stamp &+= 1
    }

    func ensureLocals(_ count: Int) {
        if locals.count < count {
            locals += Array(repeating: .null, count: count - locals.count)
            localErrors += Array(repeating: nil, count: count - localErrors.count)
            letStamps += Array(repeating: 0, count: count - letStamps.count)
        }
    }

    @inline(__always)
    func spend(_ amount: Int) throws(EvaluationError) {
        budget -= amount
        if budget < 0 {
            throw EvaluationError(.limitExceeded, "evaluation exceeded its cost limit of \(initialBudget) steps")
        }
    }
}
