import Foundation

/// Bytes written through a pointer into storage that grows by doubling. A finding's JSON is some forty short
/// pieces; appended to an `Array` one by one, each append checked the array's uniqueness and capacity and
/// went through the generic sequence path, which cost more than the bytes themselves.
final class ByteSink {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    /// For decimals, which `ExactDecimal` prints into an array.
    private var scratch: [UInt8] = []

    init(capacity: Int = 1024) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    private func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// A line break and two spaces per level of `depth`.
    func newline(_ depth: Int) {
        let spaces = depth * 2
        reserve(1 + spaces)
        base[count] = 0x0A
        (base + count + 1).initialize(repeating: 0x20, count: spaces)
        count += 1 + spaces
    }

    /// A JSON string: quoted, with `"`, `\` and control characters escaped as `JSONValue.writeString` does.
    func string(_ text: String) {
        append(0x22)
        JSONValue.escape(text, whole: { append($0) }, byte: { append($0) })
        append(0x22)
    }

    func integer(_ value: Int) {
        ExactDecimal.forEachDigit(of: value) { append($0) }
    }

    func number(_ value: Decimal) {
        scratch.removeAll(keepingCapacity: true)
        ExactDecimal.append(value, to: &scratch)
        append(scratch)
    }

    /// A record value as `JSONValue(value).writePretty` prints it; scalars without building the tree.
    func value(_ value: Value, indent: Int) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .number(let n): number(n)
        case .string(let s): string(s)
        case .date(let d): string(d.description)
        case .list, .map, .object:
            scratch.removeAll(keepingCapacity: true)
            JSONValue(value).writePretty(into: &scratch, indent: indent)
            append(scratch)
        }
    }
}
