import Foundation

/// A value behind a lock: state that request handlers read and a signal handler replaces.
///
/// Reads copy the value out under the lock, so a handler keeps the value it started with even
/// when a reload swaps in a new one mid-request.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// The value now.
    /// - Complexity: O(1); one uncontended lock on the hot path of every request.
    var current: Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    /// Changes the value under the lock and returns what `body` returns.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
