/// A YAML mapping read strictly: every key must be known, required keys must be there.
///
/// Problems are appended to the caller's diagnostics; reading goes on so that one
/// load reports every problem of a file.
struct StrictMapping {
    let location: SourceLocation
    private let entries: [String: (key: LocatedScalar, value: LocatedNode)]
    let orderedKeys: [LocatedScalar]

    /// Nil (with a diagnostic) when the node is not a mapping.
    init?(_ node: LocatedNode, what: String, allowed: Set<String>, required: [String] = [],
          diagnostics: inout [Diagnostic]) {
        guard case .mapping(let pairs, let location) = node else {
            diagnostics.append(.error(.wrongKind, "expected \(what) as a mapping, found \(node.kindDescription)",
                                      at: node.location))
            return nil
        }
        self.location = location
        var entries: [String: (key: LocatedScalar, value: LocatedNode)] = [:]
        var keys: [LocatedScalar] = []
        for pair in pairs {
            let name = pair.key.text
            if !allowed.contains(name) {
                diagnostics.append(.error(.unknownKey, "unknown key `\(name)` in \(what)", at: pair.key.location,
                                          help: Suggestion.help(for: name, in: allowed)
                                              ?? "allowed keys: \(allowed.sorted().joined(separator: ", "))"))
                continue
            }
            entries[name] = pair
            keys.append(pair.key)
        }
        for name in required where entries[name] == nil || entries[name]?.value.isNull == true {
            diagnostics.append(.error(.missingKey, "\(what) needs the key `\(name)`", at: location))
        }
        self.entries = entries
        orderedKeys = keys
    }

    subscript(key: String) -> LocatedNode? {
        guard let node = entries[key]?.value, !node.isNull else { return nil }
        return node
    }

    func keyLocation(_ key: String) -> SourceLocation? { entries[key]?.key.location }

    func string(_ key: String, diagnostics: inout [Diagnostic]) -> Located<String>? {
        self[key].flatMap { $0.asString(what: "`\(key)`", diagnostics: &diagnostics) }
    }

    func bool(_ key: String, diagnostics: inout [Diagnostic]) -> Bool? {
        self[key].flatMap { $0.asBool(what: "`\(key)`", diagnostics: &diagnostics) }
    }

    func integer(_ key: String, diagnostics: inout [Diagnostic]) -> Int? {
        self[key].flatMap { $0.asInteger(what: "`\(key)`", diagnostics: &diagnostics) }
    }

    func date(_ key: String, diagnostics: inout [Diagnostic]) -> LocalDate? {
        self[key].flatMap { $0.asDate(what: "`\(key)`", diagnostics: &diagnostics) }
    }

    func localized(_ key: String, diagnostics: inout [Diagnostic]) -> LocalizedText? {
        self[key].flatMap { $0.asLocalized(what: "`\(key)`", diagnostics: &diagnostics) }
    }

    func stringList(_ key: String, diagnostics: inout [Diagnostic]) -> [Located<String>] {
        guard let node = self[key] else { return [] }
        return node.asStringList(what: "`\(key)`", diagnostics: &diagnostics)
    }
}

extension LocatedNode {
    func asString(what: String, diagnostics: inout [Diagnostic]) -> Located<String>? {
        guard case .scalar(let scalar) = self, !scalar.isNull else {
            diagnostics.append(.error(.wrongKind, "expected a string for \(what), found \(kindDescription)", at: location))
            return nil
        }
        return Located(scalar.text, at: scalar.location)
    }

    func asBool(what: String, diagnostics: inout [Diagnostic]) -> Bool? {
        guard case .scalar(let scalar) = self, scalar.style == .plain,
              scalar.text == "true" || scalar.text == "false" else {
            diagnostics.append(.error(.wrongKind, "expected `true` or `false` for \(what), found \(kindDescription)",
                                      at: location))
            return nil
        }
        return scalar.text == "true"
    }

    func asInteger(what: String, diagnostics: inout [Diagnostic]) -> Int? {
        guard case .scalar(let scalar) = self, scalar.style == .plain, let value = Int(scalar.text) else {
            diagnostics.append(.error(.wrongKind, "expected a whole number for \(what), found \(kindDescription)",
                                      at: location))
            return nil
        }
        return value
    }

    func asDate(what: String, diagnostics: inout [Diagnostic]) -> LocalDate? {
        guard case .scalar(let scalar) = self, let date = LocalDate(parsing: scalar.text) else {
            diagnostics.append(.error(.wrongKind, "expected a date such as `2022-04-10` for \(what), found \(kindDescription)",
                                      at: location))
            return nil
        }
        return date
    }

    func asStringList(what: String, diagnostics: inout [Diagnostic]) -> [Located<String>] {
        switch self {
        case .sequence(let items, _):
            return items.compactMap { $0.asString(what: "an item of \(what)", diagnostics: &diagnostics) }
        default:
            diagnostics.append(.error(.wrongKind, "expected a list of strings for \(what), found \(kindDescription)",
                                      at: location))
            return []
        }
    }

    /// `{ zh: …, en: … }`, or a single string used for both languages.
    func asLocalized(what: String, diagnostics: inout [Diagnostic]) -> LocalizedText? {
        if case .scalar = self {
            return asString(what: what, diagnostics: &diagnostics).map { LocalizedText(zh: $0.value, en: $0.value) }
        }
        guard let mapping = StrictMapping(self, what: what, allowed: ["zh", "en"], required: ["zh"],
                                          diagnostics: &diagnostics) else { return nil }
        let zh = mapping.string("zh", diagnostics: &diagnostics)?.value ?? ""
        let en = mapping.string("en", diagnostics: &diagnostics)?.value ?? zh
        return LocalizedText(zh: zh, en: en)
    }
}
