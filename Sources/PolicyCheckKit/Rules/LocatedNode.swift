/// A YAML or JSON node with the location of every value, independent of the parser that read it.
///
/// Yams' `Node` stays inside `Rules/`; the rest of the library reads this.
public indirect enum LocatedNode: Sendable {
    case scalar(LocatedScalar)
    case sequence([LocatedNode], SourceLocation)
    case mapping([(key: LocatedScalar, value: LocatedNode)], SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(let scalar): scalar.location
        case .sequence(_, let location), .mapping(_, let location): location
        }
    }

    /// What a person calls this kind of node in an error message.
    public var kindDescription: String {
        switch self {
        case .scalar(let scalar): scalar.isNull ? "null" : "a scalar `\(scalar.text.abbreviated)`"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    public var scalar: LocatedScalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    public var isNull: Bool { scalar?.isNull ?? false }
}

/// A scalar's text as written, whether it was quoted, and where it starts.
public struct LocatedScalar: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        case plain
        case quoted
        case block
    }

    public var text: String
    public var style: Style
    public var location: SourceLocation

    public init(text: String, style: Style, location: SourceLocation) {
        self.text = text
        self.style = style
        self.location = location
    }

    /// A plain `null`, `~` or empty scalar; a quoted "null" is the string.
    public var isNull: Bool {
        style == .plain && (text.isEmpty || text == "null" || text == "~" || text == "Null" || text == "NULL")
    }
}

extension String {
    /// The text cut to 60 characters with an ellipsis, for messages.
    var abbreviated: String {
        let flat = replacingOccurrences(of: "\n", with: "⏎")
        return flat.count > 60 ? String(flat.prefix(57)) + "…" : flat
    }
}
