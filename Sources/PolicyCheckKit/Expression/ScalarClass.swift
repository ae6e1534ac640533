/// A set of Unicode scalars a regular expression matches in one step: `[a-z]`, `\d`, `\p{Han}`, a
/// literal under `(?i)`.
///
/// Ranges and properties are kept as written; membership is decided per scalar, so a class as
/// wide as `[^a]` costs no more than `[a]`.
struct ScalarClass: Sendable, Equatable {
    enum Property: Sendable, Equatable {
        case categories(Set<Unicode.GeneralCategory>)
        /// The Han script (`\p{Han}`): CJK ideographs, radicals and the ideographic marks.
        case han
        case any
    }

    private(set) var ranges: [ClosedRange<UInt32>] = []
    private(set) var properties: [Property] = []
    /// Classes nested as `[^…]`-like items, such as `\D` inside brackets.
    private(set) var excluded: [ScalarClass] = []
    var negated = false
    var caseInsensitive = false

    init() {}

    init(_ ranges: [ClosedRange<UInt32>]) {
        self.ranges = ranges
    }

    init(scalar: UInt32) {
        ranges = [scalar...scalar]
    }

    init(property: Property, negated: Bool = false) {
        properties = [property]
        self.negated = negated
    }

    mutating func add(_ range: ClosedRange<UInt32>) { ranges.append(range) }

    /// Adds another class's members: a plain class merges, a negated one (`\D`, `\P{L}`) is kept as its complement.
    mutating func add(_ other: ScalarClass) {
        if other.negated {
            var positive = other
            positive.negated = false
            excluded.append(positive)
        } else {
            ranges += other.ranges
            properties += other.properties
            excluded += other.excluded
        }
    }

    func contains(_ scalar: UInt32) -> Bool {
        var found = rawContains(scalar)
        if !found, caseInsensitive {
            // Called for every live state at every character: ASCII letters are flipped in place, not listed.
            if scalar < 0x80 {
                found = (0x61...0x7A).contains(scalar | 0x20) && rawContains(scalar ^ 0x20)
            } else {
                found = Self.caseVariants(of: scalar).contains { rawContains($0) }
            }
        }
        return found != negated
    }

    private func rawContains(_ scalar: UInt32) -> Bool {
        for range in ranges where range.contains(scalar) { return true }
        for property in properties where Self.has(property, scalar) { return true }
        for other in excluded where !other.contains(scalar) { return true }
        return false
    }

    private static func has(_ property: Property, _ value: UInt32) -> Bool {
        switch property {
        case .any: return true
        case .han: return hanRanges.contains { $0.contains(value) }
        case .categories(let categories):
            guard let scalar = Unicode.Scalar(value) else { return categories.contains(.surrogate) }
            return categories.contains(scalar.properties.generalCategory)
        }
    }

    /// The other cases of a scalar under simple case folding (`k`: `K` and the Kelvin sign's lowercase).
    static func caseVariants(of value: UInt32) -> [UInt32] {
        if value < 0x80 {
            switch value {
            case 0x41...0x5A: return [value + 0x20]
            case 0x61...0x7A: return [value - 0x20]
            default: return []
            }
        }
        guard let scalar = Unicode.Scalar(value) else { return [] }
        let properties = scalar.properties
        var variants: [UInt32] = []
        for mapping in [properties.lowercaseMapping, properties.uppercaseMapping, properties.titlecaseMapping] {
            let scalars = mapping.unicodeScalars
            if scalars.count == 1, let only = scalars.first, only.value != value, !variants.contains(only.value) {
                variants.append(only.value)
            }
        }
        return variants
    }

    // MARK: - Named classes

    static let digit = ScalarClass([0x30...0x39])
    static let space = ScalarClass([0x09...0x0A, 0x0C...0x0D, 0x20...0x20])
    static let word = ScalarClass([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])

    static func isWord(_ value: UInt32?) -> Bool {
        guard let value else { return false }
        return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || value == 0x5F || (0x61...0x7A).contains(value)
    }

    /// `[:alpha:]` and the other ASCII classes of POSIX, as RE2 defines them.
    static let posix: [String: ScalarClass] = [
        "alnum": ScalarClass([0x30...0x39, 0x41...0x5A, 0x61...0x7A]),
        "alpha": ScalarClass([0x41...0x5A, 0x61...0x7A]),
        "ascii": ScalarClass([0x00...0x7F]),
        "blank": ScalarClass([0x09...0x09, 0x20...0x20]),
        "cntrl": ScalarClass([0x00...0x1F, 0x7F...0x7F]),
        "digit": digit,
        "graph": ScalarClass([0x21...0x7E]),
        "lower": ScalarClass([0x61...0x7A]),
        "print": ScalarClass([0x20...0x7E]),
        "punct": ScalarClass([0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]),
        "space": ScalarClass([0x09...0x0D, 0x20...0x20]),
        "upper": ScalarClass([0x41...0x5A]),
        "word": word,
        "xdigit": ScalarClass([0x30...0x39, 0x41...0x46, 0x61...0x66]),
    ]

    /// The names `\p{…}` accepts: Unicode general categories (one letter for a group), `Any` and `Han`.
    static func unicodeProperty(named name: String) -> Property? {
        switch name {
        case "Any": return .any
        case "Han": return .han
        default: return categoryNames[name].map { .categories($0) }
        }
    }

    private static let categoryNames: [String: Set<Unicode.GeneralCategory>] = {
        let single: [String: Unicode.GeneralCategory] = [
            "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter, "Lm": .modifierLetter,
            "Lo": .otherLetter, "Mn": .nonspacingMark, "Mc": .spacingMark, "Me": .enclosingMark,
            "Nd": .decimalNumber, "Nl": .letterNumber, "No": .otherNumber, "Pc": .connectorPunctuation,
            "Pd": .dashPunctuation, "Ps": .openPunctuation, "Pe": .closePunctuation, "Pi": .initialPunctuation,
            "Pf": .finalPunctuation, "Po": .otherPunctuation, "Sm": .mathSymbol, "Sc": .currencySymbol,
            "Sk": .modifierSymbol, "So": .otherSymbol, "Zs": .spaceSeparator, "Zl": .lineSeparator,
            "Zp": .paragraphSeparator, "Cc": .control, "Cf": .format, "Cs": .surrogate, "Co": .privateUse,
        ]
        var names = single.mapValues { Set([$0]) }
        for group in ["L", "M", "N", "P", "S", "Z", "C"] {
            names[group] = Set(single.filter { $0.key.hasPrefix(group) }.values)
        }
        return names
    }()

    /// Unicode's Han script (Scripts.txt, Unicode 15.1).
    static let hanRanges: [ClosedRange<UInt32>] = [
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x3005...0x3005, 0x3007...0x3007, 0x3021...0x3029,
        0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFA6D, 0xFA70...0xFAD9, 0x16FE2...0x16FE3,
        0x16FF0...0x16FF1, 0x20000...0x2A6DF, 0x2A700...0x2B739, 0x2B740...0x2B81D, 0x2B820...0x2CEA1,
        0x2CEB0...0x2EBE0, 0x2F800...0x2FA1D, 0x30000...0x3134A, 0x31350...0x323AF,
    ]
}
