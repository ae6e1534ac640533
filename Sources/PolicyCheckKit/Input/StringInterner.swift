import Foundation

/// The strings one worker has made from one text column, found again by their bytes. A column of units,
/// travellers or destinations repeats a few hundred values over a million rows, and each cell was validated,
/// allocated and later freed as a new string; a repeated cell now costs a hash of its bytes and one `memcmp`.
///
/// Belongs to one worker's copy of a table's binder and is used by that worker alone. A column of mostly
/// distinct values (record numbers, free text) stops being interned once it has `limit` strings.
final class StringInterner: @unchecked Sendable {
    private struct Entry {
        var hash: UInt64
        var bytes: [UInt8]
        var string: String
    }

    private var entries: [Entry?] = Array(repeating: nil, count: 64)
    private var count = 0
    private let limit: Int
    /// Set once the column has shown itself too varied to be worth interning.
    private(set) var isFull = false

    init(limit: Int = 4096) {
        self.limit = limit
    }

    /// The string made earlier from exactly these bytes, if any.
    func string(for bytes: UnsafeRawBufferPointer) -> String? {
        if isFull { return nil }
        let hash = Self.hash(bytes)
        var index = Int(truncatingIfNeeded: hash) & (entries.count - 1)
        while let entry = entries[index] {
            if entry.hash == hash, TableBinder.same(entry.bytes, bytes) { return entry.string }
            index = (index + 1) & (entries.count - 1)
        }
        return nil
    }

    /// Keeps `string` as what `bytes` make, unless the column has proved too varied.
    func remember(_ bytes: UnsafeRawBufferPointer, as string: String) {
        if isFull { return }
        if count >= limit {
            isFull = true
            entries = []
            return
        }
        if (count + 1) * 2 > entries.count { grow() }
        insert(Entry(hash: Self.hash(bytes), bytes: Array(bytes), string: string))
        count += 1
    }

    private func insert(_ entry: Entry) {
        var index = Int(truncatingIfNeeded: entry.hash) & (entries.count - 1)
        while entries[index] != nil { index = (index + 1) & (entries.count - 1) }
        entries[index] = entry
    }

    private func grow() {
        let old = entries
        entries = Array(repeating: nil, count: old.count * 2)
        for case let entry? in old { insert(entry) }
    }

    /// FNV-1a: a few instructions a byte, enough to spread a column's values over the table.
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

}
