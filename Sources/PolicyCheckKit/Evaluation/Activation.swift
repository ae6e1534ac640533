/// The mutable state of one evaluation: the record's field slots and the local slots of
/// `let` names, macro variables and bound variables.
///
/// One activation per worker, reused record after record; compiled closures read it by index.
public final class Activation {
    public var fields: [Value]
    /// The audit period as `period` reads it, or null outside an audit.
    public var period: Value = .null
    /// Local slots, raw rather than arrays: a compiled closure writes a `let`'s value, error and stamp per
    /// evaluation, and each write to an array property checked that the array was not shared. Slots are
    /// numbered by the planner below the rule's `localCount`, which `ensureLocals` guarantees before a rule runs.
    private(set) var locals: UnsafeMutablePointer<Value>
    private(set) var localErrors: UnsafeMutablePointer<EvaluationError?>
    /// `let` values are computed on first use within one evaluation: a slot is current when its stamp is.
    private(set) var letStamps: UnsafeMutablePointer<Int>
    private(set) var localCapacity: Int
    var stamp = 1
    /// The arguments of a one- or two-argument builtin call, filled just before the call (plain builtins only read them).
    var arguments: [Value] = []
    /// Iterations and list elements left before evaluation stops with `limit-exceeded`.
    var budget: Int
    let initialBudget: Int

    public init(localCount: Int, budget: Int = 1_000_000) {
        fields = []
        localCapacity = max(0, localCount)
        locals = .allocate(capacity: localCapacity)
        locals.initialize(repeating: .null, count: localCapacity)
        localErrors = .allocate(capacity: localCapacity)
        localErrors.initialize(repeating: nil, count: localCapacity)
        letStamps = .allocate(capacity: localCapacity)
        letStamps.initialize(repeating: 0, count: localCapacity)
        self.budget = budget
        initialBudget = budget
    }

    deinit {
        locals.deinitialize(count: localCapacity).deallocate()
        localErrors.deinitialize(count: localCapacity).deallocate()
        letStamps.deinitialize(count: localCapacity).deallocate()
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
        guard count > localCapacity else { return }
        func grown<Element>(_ old: UnsafeMutablePointer<Element>, filling value: Element) -> UnsafeMutablePointer<Element> {
            let new = UnsafeMutablePointer<Element>.allocate(capacity: count)
            new.moveInitialize(from: old, count: localCapacity)
            (new + localCapacity).initialize(repeating: value, count: count - localCapacity)
            old.deallocate()
            return new
        }
        locals = grown(locals, filling: .null)
        localErrors = grown(localErrors, filling: nil)
        letStamps = grown(letStamps, filling: 0)
        localCapacity = count
    }

    @inline(__always)
    func spend(_ amount: Int) throws(EvaluationError) {
        budget -= amount
        if budget < 0 {
            throw EvaluationError(.limitExceeded, "evaluation exceeded its cost limit of \(initialBudget) steps")
        }
    }
}
