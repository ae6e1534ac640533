import Foundation

/// The strings one worker has made from one text column, found again by their bytes. A column of units,
/// travellers or destinations repeats a few hundred values over a million rows, and each cell was validated,
/// allocated and later freed as a new string; a repeated cell now costs a hash of its bytes and one `memcmp`.
///
/// Belongs to one worker's copy of a table's binder and is used by that worker alone. A column of mostly
/// distinct values (record numbers, free text) stops being interned once it has `limit` strings.
final class StringInterner: @unchecked Sendable {
    /// Open addressing over three parallel arrays, so a probe compares a hash without copying an entry
    /// (a copy took a reference to its bytes and its string). A hash of zero marks an empty slot.
    private var hashes = [UInt64](repeating: 0, count: 64)
    private var keys = [[UInt8]](repeating: [], count: 64)
    private var strings = [String](repeating: "", count: 64)
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
        let mask = hashes.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while hashes[index] != 0 {
            if hashes[index] == hash, TableBinder.same(keys[index], bytes) { return strings[index] }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Keeps `string` as what `bytes` make, unless the column has proved too varied.
    func remember(_ bytes: UnsafeRawBufferPointer, as string: String) {
        if isFull { return }
        if count >= limit {
            isFull = true
            hashes = []
            keys = []
            strings = []
            return
        }
        if (count + 1) * 2 > hashes.count { grow() }
        insert(hash: Self.hash(bytes), key: Array(bytes), string: string)
        count += 1
    }

    private func insert(hash: UInt64, key: [UInt8], string: String) {
        let mask = hashes.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while hashes[index] != 0 { index = (index + 1) & mask }
        hashes[index] = hash
        keys[index] = key
        strings[index] = string
    }

    private func grow() {
        let (oldHashes, oldKeys, oldStrings) = (hashes, keys, strings)
        let capacity = oldHashes.count * 2
        hashes = [UInt64](repeating: 0, count: capacity)
        keys = [[UInt8]](repeating: [], count: capacity)
        strings = [String](repeating: "", count: capacity)
        for index in oldHashes.indices where oldHashes[index] != 0 {
            insert(hash: oldHashes[index], key: oldKeys[index], string: oldStrings[index])
        }
    }

    /// FNV-1a: a few instructions a byte, enough to spread a column's values over the table.
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash == 0 ? 1 : hash
    }

}
