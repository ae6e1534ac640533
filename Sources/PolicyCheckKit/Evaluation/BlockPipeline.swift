import Foundation

/// Reads blocks of items and checks them on a fixed set of threads, with what each chunk produces handed
/// on in input order.
///
/// No thread only reads: whichever thread finds the items read so far nearly all claimed reads the next
/// block itself, while the others check what is left. A separate reading thread, woken once a block, made
/// three threads share the cores, and the scheduler left both checkers stacked on one core while the
/// other idled (about a fifth of an audit's wall time on two cores); a barrier after each block left a
/// core idle while the last chunk of the block finished.
///
/// Memory holds the blocks being checked and the next one read, and the output of chunks checked ahead
/// of an earlier one still being checked.
final class BlockPipeline<Output>: @unchecked Sendable {
    /// Items read together, and how to check a range of them.
    struct Block {
        var count: Int
        /// Checks items `range` on the thread numbered by the first argument; returns what must be handed on
        /// in input order.
        var check: (Int, Range<Int>) -> Output
        /// What the reader found after the block's items (an unreadable rest, an overlong row): handed on after them.
        var after: Output?
        /// Called once every item is checked, on the thread that checked the last: the reader may then use the
        /// block's storage again.
        var whenChecked: (() -> Void)?
    }

    private enum Task {
        case read
        /// A chunk of the block whose first chunk is numbered `block`.
        case check(Block, Range<Int>, sequence: Int, block: Int)
        case done
    }

    private struct Queued {
        var block: Block
        var nextChunk = 0
        var chunks: Int
        var firstSequence: Int
    }

    private let threads: Int
    private let chunkItems: Int
    private let read: () -> Block?
    private let handOn: (Output) -> Void

    /// Guards everything below.
    private let condition = NSCondition()
    private var queue: [Queued] = []
    private var isReading = false
    private var readAll = false
    /// Numbers every chunk and every block's `after` in input order.
    private var nextSequence = 0
    private var finished: [Int: Output] = [:]
    private var nextToHandOn = 0
    private var isHandingOn = false
    /// Chunks not yet checked of the blocks that asked to hear when they all are, by their first chunk's number.
    private var unchecked: [Int: (chunks: Int, whenChecked: () -> Void)] = [:]

    /// `read` is called on one thread at a time and returns nil once there is nothing more; `handOn` is
    /// called on one thread at a time, in input order.
    init(threads: Int, chunkItems: Int, read: @escaping () -> Block?, handOn: @escaping (Output) -> Void) {
        self.threads = max(1, threads)
        self.chunkItems = max(1, chunkItems)
        self.read = read
        self.handOn = handOn
    }

    /// Checks every block `read` returns, and returns once all their output is handed on.
    func run() {
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            while true {
                switch take() {
                case .read: readNext()
                case .check(let block, let range, let sequence, let first):
                    let output = block.check(thread, range)
                    checked(chunkOf: first)
                    finish(sequence, output)
                case .done: return
                }
            }
        }
    }

    /// Chunks left unclaimed at which a thread reads the next block rather than take one: enough for the
    /// other threads to check while it reads.
    private var readAhead: Int { 2 * threads }

    private func take() -> Task {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let unclaimed = queue.reduce(0) { $0 + $1.chunks - $1.nextChunk }
            if !readAll, !isReading, unclaimed <= readAhead {
                isReading = true
                return .read
            }
            if !queue.isEmpty {
                let chunk = queue[0].nextChunk
                let block = queue[0].block
                let first = queue[0].firstSequence
                queue[0].nextChunk += 1
                if queue[0].nextChunk == queue[0].chunks { queue.removeFirst() }
                return .check(block, (chunk * chunkItems)..<min(block.count, (chunk + 1) * chunkItems), sequence: first + chunk,
                              block: first)
            }
            if readAll { return .done }
            condition.wait()
        }
    }

    private func readNext() {
        let block = read()
        condition.lock()
        isReading = false
        let after = block.flatMap(enqueue)
        if block == nil { readAll = true }
        condition.broadcast()
        condition.unlock()
        if let block, block.count == 0 { block.whenChecked?() }
        if let after { finish(after.sequence, after.output) }
    }

    /// Counts a chunk of the block numbered `first` checked, and says so when it was the block's last.
    private func checked(chunkOf first: Int) {
        condition.lock()
        var whenChecked: (() -> Void)?
        if let entry = unchecked[first] {
            if entry.chunks == 1 {
                unchecked[first] = nil
                whenChecked = entry.whenChecked
            } else {
                unchecked[first]?.chunks -= 1
            }
        }
        condition.unlock()
        whenChecked?()
    }

    /// Queues a block's chunks, numbered in input order with its `after` following them; returns that `after`
    /// with its number. Called with the lock held.
    private func enqueue(_ block: Block) -> (sequence: Int, output: Output)? {
        let chunks = (block.count + chunkItems - 1) / chunkItems
        let first = nextSequence
        nextSequence += chunks + (block.after == nil ? 0 : 1)
        if chunks > 0 { queue.append(Queued(block: block, chunks: chunks, firstSequence: first)) }
        if chunks > 0, let whenChecked = block.whenChecked { unchecked[first] = (chunks, whenChecked) }
        return block.after.map { (first + chunks, $0) }
    }

    /// Keeps `output` until every earlier chunk's is handed on; the thread that completes the run in order hands it on.
    private func finish(_ sequence: Int, _ output: Output) {
        condition.lock()
        finished[sequence] = output
        if isHandingOn {
            condition.unlock()
            return
        }
        isHandingOn = true
        while true {
            guard let ready = finished.removeValue(forKey: nextToHandOn) else { break }
            nextToHandOn += 1
            condition.unlock()
            handOn(ready)
            condition.lock()
        }
        isHandingOn = false
        condition.unlock()
    }
}
