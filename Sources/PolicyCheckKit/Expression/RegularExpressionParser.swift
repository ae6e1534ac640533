/// Reads a pattern in RE2's syntax into a tree, as CEL's `matches` defines it.
///
/// What RE2 leaves out because it cannot run in linear time — backreferences, lookaround, atomic
/// groups, possessive repetition — is an error naming the construct, not a silent difference.
struct RegularExpressionParser {
    indirect enum Node: Sendable {
        case empty
        case set(ScalarClass)
        case assertion(RegularExpression.Assertion)
        case concatenation([Node])
        case alternation([Node])
        case repetition(Node, min: Int, max: Int?)
    }

    struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotMatchesNewline = false
    }

    /// RE2's bound on `{n,m}`.
    static let maxRepeat = 1000
    /// Groups may nest this deep; the parser and the compiler recurse once per level.
    static let maxNesting = 100

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var nesting = 0

    static func parse(_ pattern: String) throws(RegularExpressionSyntaxError) -> Node {
        var parser = RegularExpressionParser(scalars: Array(pattern.unicodeScalars))
        var flags = Flags()
        let node = try parser.alternation(&flags)
        if parser.position < parser.scalars.count {
            throw parser.problem("unexpected `)`")
        }
        return node
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private func problem(_ message: String, at offset: Int? = nil) -> RegularExpressionSyntaxError {
        RegularExpressionSyntaxError(message: message, offset: offset ?? position)
    }

    private mutating func take(_ literal: String) -> Bool {
        let wanted = Array(literal.unicodeScalars)
        guard position + wanted.count <= scalars.count, Array(scalars[position..<(position + wanted.count)]) == wanted else {
            return false
        }
        position += wanted.count
        return true
    }

    // MARK: - Structure

    /// `a|b|…` up to a `)` or the end; flags set by `(?i)` last until the end of the enclosing group.
    private mutating func alternation(_ flags: inout Flags) throws(RegularExpressionSyntaxError) -> Node {
        var branches = [try concatenation(&flags)]
        while current == "|" {
            position += 1
            branches.append(try concatenation(&flags))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation(_ flags: inout Flags) throws(RegularExpressionSyntaxError) -> Node {
        var items: [Node] = []
        while let scalar = current, scalar != "|", scalar != ")" {
            guard let atom = try atom(&flags) else { continue }
            items.append(try repetitions(of: atom))
        }
        return items.isEmpty ? .empty : items.count == 1 ? items[0] : .concatenation(items)
    }

    /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each possibly lazy (`*?`); laziness does not change whether there is a match.
    private mutating func repetitions(of atom: Node) throws(RegularExpressionSyntaxError) -> Node {
        var node = atom
        var repeated = false
        while let scalar = current {
            let operatorStart = position
            let bounds: (min: Int, max: Int?)
            switch scalar {
            case "*": position += 1; bounds = (0, nil)
            case "+": position += 1; bounds = (1, nil)
            case "?": position += 1; bounds = (0, 1)
            case "{":
                guard let counted = try countedRepetition() else { return node }
                bounds = counted
            default:
                return node
            }
            if repeated {
                throw problem("bad repetition operator `\(String(String.UnicodeScalarView(scalars[operatorStart..<position])))`",
                              at: operatorStart)
            }
            if current == "?" { position += 1 }
            if current == "+" {
                throw problem("possessive repetition (`\(scalar)+`) is not supported; `matches` uses RE2 syntax",
                              at: operatorStart)
            }
            node = .repetition(node, min: bounds.min, max: bounds.max)
            repeated = true
        }
        return node
    }

    /// `{n}`, `{n,}` or `{n,m}`; nil (and nothing consumed) when the brace starts no repetition, which makes it a literal.
    private mutating func countedRepetition() throws(RegularExpressionSyntaxError) -> (min: Int, max: Int?)? {
        let start = position
        position += 1
        func number() -> Int? {
            var digits = ""
            while let scalar = current, scalar.properties.numericType == .decimal, scalar.isASCII {
                digits.unicodeScalars.append(scalar)
                position += 1
            }
            return digits.isEmpty ? nil : Int(digits.prefix(9)).map { digits.count > 9 ? Int.max : $0 }
        }
        guard let low = number() else { position = start; return nil }
        var high: Int? = low
        if current == "," {
            position += 1
            high = number()
        }
        guard current == "}" else { position = start; return nil }
        position += 1
        let written = String(String.UnicodeScalarView(scalars[start..<position]))
        if low > Self.maxRepeat || (high ?? 0) > Self.maxRepeat {
            throw problem("bad repetition operator `\(written)`: counts go up to \(Self.maxRepeat)", at: start)
        }
        if let high, high < low {
            throw problem("bad repetition operator `\(written)`: the minimum is above the maximum", at: start)
        }
        return (low, high)
    }

    /// One item of a concatenation; nil for something that matches nothing by itself (`(?i)`).
    private mutating func atom(_ flags: inout Flags) throws(RegularExpressionSyntaxError) -> Node? {
        guard let scalar = current else { return .empty }
        let start = position
        switch scalar {
        case "(":
            return try group(&flags)
        case "[":
            return .set(try bracketClass(flags))
        case ".":
            position += 1
            return .set(flags.dotMatchesNewline ? ScalarClass(property: .any) : ScalarClass([0x0A...0x0A]).negatedClass)
        case "^":
            position += 1
            return .assertion(flags.multiLine ? .lineStart : .textStart)
        case "$":
            position += 1
            return .assertion(flags.multiLine ? .lineEnd : .textEnd)
        case "*", "+", "?":
            throw problem("missing argument to repetition operator `\(scalar)`")
        case "{":
            if try countedRepetition() != nil {
                throw problem("missing argument to repetition operator `\(String(String.UnicodeScalarView(scalars[start..<position])))`",
                              at: start)
            }
            position += 1
            return literal(scalar.value, flags)
        case "\\":
            return try escape(flags)
        default:
            position += 1
            return literal(scalar.value, flags)
        }
    }

    private func literal(_ value: UInt32, _ flags: Flags) -> Node {
        var set = ScalarClass(scalar: value)
        set.caseInsensitive = flags.caseInsensitive
        return .set(set)
    }

    private mutating func group(_ flags: inout Flags) throws(RegularExpressionSyntaxError) -> Node? {
        let start = position
        position += 1
        var inner = flags
        if current == "?" {
            position += 1
            if current == "=" || current == "!" || (current == "<" && (peek(1) == "=" || peek(1) == "!")) {
                throw problem("lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`) is not supported; `matches` uses RE2 syntax", at: start)
            } else if current == ">" {
                throw problem("atomic groups (`(?>`) are not supported; `matches` uses RE2 syntax", at: start)
            } else if take("P<") || take("<") {
                try groupName(from: start)
            } else if take(":") {
                // a group that captures nothing
            } else {
                // `(?flags)` sets them for the rest of the enclosing group; `(?flags:…)` for the group alone.
                let setsEnclosing = try flagGroup(&inner, from: start)
                if setsEnclosing {
                    flags = inner
                    return nil
                }
            }
        }
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting {
            throw problem("groups nest deeper than \(Self.maxNesting) levels", at: start)
        }
        let node = try alternation(&inner)
        guard current == ")" else { throw problem("missing closing `)` for the group opened at offset \(start)") }
        position += 1
        return node
    }

    private mutating func groupName(from start: Int) throws(RegularExpressionSyntaxError) {
        let nameStart = position
        while let scalar = current, scalar != ">" {
            guard scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil else {
                throw problem("invalid group name: expected letters, digits or `_` closed by `>`", at: start)
            }
            position += 1
        }
        guard current == ">", position > nameStart else { throw problem("invalid group name: expected letters, digits or `_` closed by `>`", at: start) }
        position += 1
    }

    /// Reads `i`, `m`, `s`, `U` and `-` up to `)` or `:`; true when it ended with `)`.
    private mutating func flagGroup(_ flags: inout Flags, from start: Int) throws(RegularExpressionSyntaxError) -> Bool {
        var on = true
        var sawFlag = false
        while let scalar = current {
            position += 1
            switch scalar {
            case "i": flags.caseInsensitive = on; sawFlag = true
            case "m": flags.multiLine = on; sawFlag = true
            case "s": flags.dotMatchesNewline = on; sawFlag = true
            case "U": sawFlag = true
            case "-" where on: on = false; sawFlag = false
            case ")" where sawFlag: return true
            case ":" where sawFlag: return false
            default:
                throw problem("invalid or unsupported group `\(String(String.UnicodeScalarView(scalars[start..<position])))`",
                              at: start)
            }
        }
        throw problem("missing closing `)` for the group opened at offset \(start)")
    }

    // MARK: - Escapes and classes

    private mutating func escape(_ flags: Flags) throws(RegularExpressionSyntaxError) -> Node {
        guard let letter = peek(1) else { throw problem("trailing `\\` at the end of the pattern") }
        switch letter {
        case "A": position += 2; return .assertion(.textStart)
        case "z": position += 2; return .assertion(.textEnd)
        case "b": position += 2; return .assertion(.wordBoundary)
        case "B": position += 2; return .assertion(.notWordBoundary)
        case "Q":
            position += 2
            var items: [Node] = []
            while position < scalars.count, !(current == "\\" && peek(1) == "E") {
                items.append(literal(scalars[position].value, flags))
                position += 1
            }
            if current == "\\" { position += 2 }
            return items.isEmpty ? .empty : .concatenation(items)
        default:
            var set = try classEscape(inBrackets: false)
            set.caseInsensitive = flags.caseInsensitive
            return .set(set)
        }
    }

    /// An escape that stands for scalars: `\d`, `\p{Han}`, `\x{4E2D}`, `\n`, `\.`…
    private mutating func classEscape(inBrackets: Bool) throws(RegularExpressionSyntaxError) -> ScalarClass {
        let start = position
        position += 1
        guard let letter = current else { throw problem("trailing `\\` at the end of the pattern", at: start) }
        position += 1
        switch letter {
        case "d": return .digit
        case "D": return ScalarClass.digit.negatedClass
        case "s": return .space
        case "S": return ScalarClass.space.negatedClass
        case "w": return .word
        case "W": return ScalarClass.word.negatedClass
        case "p", "P": return try unicodeClass(negated: letter == "P", from: start)
        case "a": return ScalarClass(scalar: 0x07)
        case "f": return ScalarClass(scalar: 0x0C)
        case "t": return ScalarClass(scalar: 0x09)
        case "n": return ScalarClass(scalar: 0x0A)
        case "r": return ScalarClass(scalar: 0x0D)
        case "v": return ScalarClass(scalar: 0x0B)
        case "x": return ScalarClass(scalar: try hexEscape(from: start))
        case "0"..."7":
            // `\0`, `\012`, `\123`: octal; a lone `\1`…`\7` would be a backreference.
            var digits = String(letter)
            while digits.count < 3, let next = current, ("0"..."7").contains(next) {
                digits.unicodeScalars.append(next)
                position += 1
            }
            if letter != "0", digits.count == 1 {
                throw problem("backreferences (`\\\(letter)`) are not supported; `matches` uses RE2 syntax", at: start)
            }
            return ScalarClass(scalar: UInt32(digits, radix: 8) ?? 0)
        case "8", "9":
            throw problem("backreferences (`\\\(letter)`) are not supported; `matches` uses RE2 syntax", at: start)
        default:
            if letter.isASCII, !letter.properties.isAlphabetic, letter.properties.numericType == nil {
                return ScalarClass(scalar: letter.value)  // `\.`, `\\`, `\[`…
            }
            let what = inBrackets ? "in a character class" : "in the pattern"
            throw problem("invalid escape `\\\(letter)` \(what)", at: start)
        }
    }

    /// The text between the `{` at `position` and the next `}`, both consumed.
    private mutating func braced(_ what: String, from start: Int) throws(RegularExpressionSyntaxError) -> String {
        position += 1
        var text = ""
        while let scalar = current, scalar != "}" {
            text.unicodeScalars.append(scalar)
            position += 1
        }
        guard current == "}" else { throw problem("missing `}` in \(what)", at: start) }
        position += 1
        return text
    }

    private mutating func hexEscape(from start: Int) throws(RegularExpressionSyntaxError) -> UInt32 {
        var digits = ""
        if current == "{" {
            digits = try braced("`\\x{…}`", from: start)
        } else {
            for _ in 0..<2 {
                guard let scalar = current else { break }
                digits.unicodeScalars.append(scalar)
                position += 1
            }
        }
        guard !digits.isEmpty, digits.count <= 8, let value = UInt32(digits, radix: 16), value <= 0x10FFFF else {
            throw problem("invalid escape `\\x\(digits)`: expected two hex digits or `\\x{…}` up to 10FFFF", at: start)
        }
        return value
    }

    private mutating func unicodeClass(negated: Bool, from start: Int) throws(RegularExpressionSyntaxError) -> ScalarClass {
        var name = ""
        var negated = negated
        if current == "{" {
            name = try braced("a Unicode class", from: start)
            if name.hasPrefix("^") {
                negated.toggle()
                name.removeFirst()
            }
        } else if let scalar = current {
            name = String(scalar)
            position += 1
        }
        guard let property = ScalarClass.unicodeProperty(named: name) else {
            throw problem("unknown Unicode class `\(name)`; known: the general categories (`L`, `Lu`, `N`, `P`…), `Any` and `Han`",
                          at: start)
        }
        return ScalarClass(property: property, negated: negated)
    }

    /// `[…]`, `[^…]`, with ranges, escapes and `[:alpha:]`.
    private mutating func bracketClass(_ flags: Flags) throws(RegularExpressionSyntaxError) -> ScalarClass {
        let start = position
        position += 1
        var set = ScalarClass()
        if current == "^" {
            set.negated = true
            position += 1
        }
        var first = true
        while true {
            guard let scalar = current else { throw problem("missing closing `]` for the class opened at offset \(start)") }
            if scalar == "]", !first { position += 1; break }
            first = false
            if scalar == "[", peek(1) == ":" {
                set.add(try posixClass())
                continue
            }
            let itemStart = position
            let low = try classItem()
            guard current == "-", let after = peek(1), after != "]" else {
                set.add(low)
                continue
            }
            position += 1
            let high = try classItem()
            guard let lowValue = low.single, let highValue = high.single else {
                throw problem("invalid range in a character class", at: itemStart)
            }
            guard lowValue <= highValue else {
                throw problem("invalid range `\(String(String.UnicodeScalarView(scalars[itemStart..<position])))` in a character class",
                              at: itemStart)
            }
            set.add(lowValue...highValue)
        }
        set.caseInsensitive = flags.caseInsensitive
        return set
    }

    /// One character of a bracket class, written or escaped.
    private mutating func classItem() throws(RegularExpressionSyntaxError) -> ScalarClass {
        guard let scalar = current, scalar != "\\" else { return try classEscape(inBrackets: true) }
        position += 1
        return ScalarClass(scalar: scalar.value)
    }

    private mutating func posixClass() throws(RegularExpressionSyntaxError) -> ScalarClass {
        let start = position
        position += 2
        var negated = false
        if current == "^" {
            negated = true
            position += 1
        }
        var name = ""
        while let scalar = current, scalar != ":" {
            name.unicodeScalars.append(scalar)
            position += 1
        }
        guard take(":]"), var set = ScalarClass.posix[name] else {
            throw problem("invalid POSIX class `\(String(String.UnicodeScalarView(scalars[start..<min(position, scalars.count)])))`",
                          at: start)
        }
        set.negated = negated
        return set
    }
}

/// A pattern `matches` cannot use, with the offset (in Unicode scalars) where the problem is.
struct RegularExpressionSyntaxError: Error, Sendable {
    var message: String
    var offset: Int
}

extension ScalarClass {
    /// Every scalar this class does not hold.
    var negatedClass: ScalarClass {
        var copy = self
        copy.negated.toggle()
        return copy
    }

    /// The one scalar of a class written as a single character, for the ends of a range.
    var single: UInt32? {
        guard !negated, properties.isEmpty, ranges.count == 1, let range = ranges.first, range.count == 1 else { return nil }
        return range.lowerBound
    }
}
