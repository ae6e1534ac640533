/// Hands values to `concurrentPerform`'s iterations where the code guarantees no two threads touch the same state.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
