/// A compiled regular expression for `matches`: a match anywhere in the string, as RE2's partial match.
///
/// RE2's syntax, and RE2's promise that the time is linear in the text whatever the pattern: the
/// pattern is compiled to an automaton (Thompson's construction) and run over the text once,
/// keeping every state it may be in at each character (Pike's VM). A pattern that makes a
/// backtracking engine take exponential time, such as `^(a+)+$` on `aaaa…!`, has nothing to backtrack.
/// Text is matched by Unicode scalars; `\d`, `\s`, `\w` and `\b` are ASCII, as in RE2.
struct RegularExpression: Sendable {
    enum Assertion: Sendable {
        case textStart, textEnd, lineStart, lineEnd, wordBoundary, notWordBoundary
    }

    enum Instruction: Sendable {
        case set(ScalarClass)
        case split(Int, Int)
        case jump(Int)
        case assertion(Assertion)
        case match
    }

    /// The most instructions a pattern may compile to, so `((a{1000}){1000}){1000}` is refused, not built.
    static let maxInstructions = 100_000

    let program: [Instruction]
    /// Every match starts at the beginning of the text (`^…` or `\A…` outside `(?m)`): one attempt is enough.
    let anchored: Bool

    init(_ pattern: String) throws(EvaluationError) {
        let tree: RegularExpressionParser.Node
        do throws(RegularExpressionSyntaxError) {
            tree = try RegularExpressionParser.parse(pattern)
        } catch {
            throw EvaluationError(.invalidArgument,
                                  "invalid regular expression `\(pattern.abbreviated)`: \(error.message) (at offset \(error.offset))")
        }
        var compiler = Compiler()
        do throws(Compiler.TooLarge) {
            try compiler.emit(tree)
            try compiler.append(.match)
        } catch {
            throw EvaluationError(.invalidArgument, "regular expression `\(pattern.abbreviated)` is too large: it compiles to "
                                  + "more than \(Self.maxInstructions) states")
        }
        program = compiler.program
        anchored = Self.startsAnchored(tree)
    }

    private static func startsAnchored(_ node: RegularExpressionParser.Node) -> Bool {
        switch node {
        case .assertion(.textStart): true
        case .concatenation(let items): items.first.map(startsAnchored) ?? false
        default: false
        }
    }

    /// Whether the pattern matches somewhere in `text`, with the work it took: one step per
    /// automaton state alive at each scalar of the text. `matched` is nil when more than
    /// `maxSteps` steps would be needed.
    /// - Complexity: O(n × m) for n scalars of text and m instructions; no backtracking.
    func search(_ text: String, maxSteps: Int) -> (matched: Bool?, steps: Int) {
        var current = StateSet(capacity: program.count)
        var next = StateSet(capacity: program.count)
        var stack: [Int] = []
        var scalars = text.unicodeScalars.makeIterator()
        var previous: UInt32?
        var scalar = scalars.next()?.value
        var atStart = true
        var steps = 0
        while true {
            if !anchored || atStart {
                if addState(0, to: &current, previous: previous, next: scalar, stack: &stack) { return (true, steps) }
            }
            if current.isEmpty, anchored { return (false, steps) }
            guard let value = scalar else { return (false, steps) }
            steps += current.count + 1
            if steps > maxSteps { return (nil, steps) }
            let following = scalars.next()?.value
            next.removeAll()
            for pc in current.states {
                guard case .set(let set) = program[pc], set.contains(value) else { continue }
                if addState(pc + 1, to: &next, previous: value, next: following, stack: &stack) { return (true, steps) }
            }
            swap(&current, &next)
            previous = value
            scalar = following
            atStart = false
        }
    }

    /// Adds `pc` and every state reachable from it without reading a scalar; true when that reaches a match.
    private func addState(_ pc: Int, to set: inout StateSet, previous: UInt32?, next: UInt32?,
                          stack: inout [Int]) -> Bool {
        stack.append(pc)
        while let pc = stack.popLast() {
            guard set.insert(pc) else { continue }
            switch program[pc] {
            case .match: return true
            case .jump(let target): stack.append(target)
            case let .split(first, second):
                stack.append(second)
                stack.append(first)
            case .assertion(let assertion):
                if Self.holds(assertion, previous: previous, next: next) { stack.append(pc + 1) }
            case .set:
                break
            }
        }
        return false
    }

    private static func holds(_ assertion: Assertion, previous: UInt32?, next: UInt32?) -> Bool {
        switch assertion {
        case .textStart: previous == nil
        case .textEnd: next == nil
        case .lineStart: previous == nil || previous == 0x0A
        case .lineEnd: next == nil || next == 0x0A
        case .wordBoundary: ScalarClass.isWord(previous) != ScalarClass.isWord(next)
        case .notWordBoundary: ScalarClass.isWord(previous) == ScalarClass.isWord(next)
        }
    }

    /// The states the automaton is in, in the order they were added, each once (a sparse set:
    /// clearing and membership are O(1)).
    private struct StateSet {
        private(set) var states: [Int] = []
        private var index: [Int]

        init(capacity: Int) {
            index = Array(repeating: 0, count: capacity)
            states.reserveCapacity(capacity)
        }

        var isEmpty: Bool { states.isEmpty }
        var count: Int { states.count }

        /// False when `state` was already there.
        mutating func insert(_ state: Int) -> Bool {
            let slot = index[state]
            if slot < states.count, states[slot] == state { return false }
            index[state] = states.count
            states.append(state)
            return true
        }

        mutating func removeAll() { states.removeAll(keepingCapacity: true) }
    }

    /// Thompson's construction over the parsed tree.
    private struct Compiler {
        struct TooLarge: Error {}

        var program: [Instruction] = []

        mutating func append(_ instruction: Instruction) throws(TooLarge) {
            guard program.count < RegularExpression.maxInstructions else { throw TooLarge() }
            program.append(instruction)
        }

        /// Appends a placeholder to be patched once its targets are known.
        mutating func placeholder() throws(TooLarge) -> Int {
            try append(.jump(-1))
            return program.count - 1
        }

        mutating func emit(_ node: RegularExpressionParser.Node) throws(TooLarge) {
            switch node {
            case .empty:
                break
            case .set(let set):
                try append(.set(set))
            case .assertion(let assertion):
                try append(.assertion(assertion))
            case .concatenation(let items):
                for item in items { try emit(item) }
            case .alternation(let branches):
                var exits: [Int] = []
                for (offset, branch) in branches.enumerated() {
                    if offset == branches.count - 1 {
                        try emit(branch)
                    } else {
                        let split = try placeholder()
                        try emit(branch)
                        exits.append(try placeholder())
                        program[split] = .split(split + 1, program.count)
                    }
                }
                for exit in exits { program[exit] = .jump(program.count) }
            case let .repetition(item, min, max):
                for _ in 0..<min { try emit(item) }
                if let max {
                    // `e{2,4}` is `ee(e(e)?)?`: each optional copy may end the repetition.
                    var skips: [Int] = []
                    for _ in min..<max {
                        skips.append(try placeholder())
                        try emit(item)
                    }
                    for skip in skips { program[skip] = .split(skip + 1, program.count) }
                } else {
                    // `e*`: a loop that may be left before each copy.
                    let loop = try placeholder()
                    try emit(item)
                    try append(.jump(loop))
                    program[loop] = .split(loop + 1, program.count)
                }
            }
        }
    }
}
