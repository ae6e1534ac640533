import Foundation
import Testing
@testable import PolicyCheckKit

/// The pipeline the audit's workers read and check blocks through: output in input order, each block's
/// storage given back once, whatever the threads, chunk size and timing.
@Suite("blocks read and checked by the same threads")
struct BlockPipelineTests {
    /// A lock-guarded list the threads add to.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Int] = []
        func add(_ item: Int) { lock.withLock { items.append(item) } }
        var all: [Int] { lock.withLock { items } }
    }

    @Test("items and each block's after-output are handed on in input order; every block says once that it is checked",
          arguments: [(1, 1), (2, 3), (4, 1), (3, 64)])
    func inputOrder(threads: Int, chunkItems: Int) {
        // Blocks of 0 to 40 items; every third block has something found after its items (numbered -1 - block).
        var random = SplitMix64(seed: UInt64(threads * 100 + chunkItems))
        let sizes = (0..<60).map { _ in random.int(in: 0...40) }
        let starts = sizes.indices.map { sizes[..<$0].reduce(0, +) }
        var next = 0
        let checked = Log()
        var handedOn: [[Int]] = []
        let pipeline = BlockPipeline<[Int]>(threads: threads, chunkItems: chunkItems, read: {
            guard next < sizes.count else { return nil }
            let block = next
            next += 1
            return BlockPipeline.Block(count: sizes[block], check: { _, range in
                // Uneven work, so chunks finish out of order.
                if range.lowerBound % 3 == 0 { usleep(50) }
                return range.map { starts[block] + $0 }
            }, after: block % 3 == 0 ? [-1 - block] : nil, whenChecked: { checked.add(block) })
        }, handOn: { handedOn.append($0) })
        pipeline.run()
        var expected: [Int] = []
        for block in sizes.indices {
            expected += (0..<sizes[block]).map { starts[block] + $0 }
            if block % 3 == 0 { expected.append(-1 - block) }
        }
        #expect(handedOn.flatMap { $0 } == expected)
        #expect(checked.all.sorted() == Array(sizes.indices))
    }
}
