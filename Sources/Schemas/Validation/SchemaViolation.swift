/// One reason an instance does not conform to a schema.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer to the failing value in the instance ("" = root), e.g. `/data/totalCount`.
    public var instancePointer: String
    /// The keyword's path as evaluated from the root schema, through `$ref`s (e.g. `/$ref/properties/data/type`).
    public var keywordLocation: String
    /// The keyword's absolute location: the URI of its schema resource plus a JSON pointer fragment,
    /// e.g. `https://schemas.plantstream.dev/machine.cycle/v1.json#/properties/data/type`.
    public var absoluteKeywordLocation: String
    /// Human-readable explanation, e.g. `expected integer, got string`.
    public var message: String

    /// Creates a violation.
    public init(instancePointer: String, keywordLocation: String, absoluteKeywordLocation: String, message: String) {
        self.instancePointer = instancePointer
        self.keywordLocation = keywordLocation
        self.absoluteKeywordLocation = absoluteKeywordLocation
        self.message = message
    }

    /// The failing keyword (`maximum`, `required`, …); empty for a violation of the whole schema.
    public var keyword: String {
        let tokens = JSONPointer.tokens(keywordLocation) ?? []
        guard let last = tokens.last else { return "" }
        // `/properties/qty` ends in a property name, `/allOf/0` in an index: the keyword is the token before.
        if tokens.count >= 2,
            Self.keywordsNamingChildren.contains(tokens[tokens.count - 2]) || last.allSatisfy(\.isNumber)
        {
            return tokens[tokens.count - 2]
        }
        return last
    }

    private static let keywordsNamingChildren: Set<String> = [
        "properties", "patternProperties", "dependentSchemas", "dependentRequired",
    ]

    /// Where the keyword is written: ``absoluteKeywordLocation`` with the catalogue's base URI left out, e.g.
    /// `machine.cycle/v1.json#/properties/data/type`.
    public var schemaLocation: String {
        absoluteKeywordLocation.hasPrefix(SchemaID.baseURI)
            ? String(absoluteKeywordLocation.dropFirst(SchemaID.baseURI.count)) : absoluteKeywordLocation
    }

    /// The message with the keyword and where it is written, on one line (control characters escaped), e.g.
    /// `must be ≤ 100 (maximum at machine.cycle/v2.json#/$defs/Qty/maximum)`.
    public var explanation: String {
        let text = Self.oneLine(message)
        let keyword = keyword
        guard !keyword.isEmpty else { return text }
        return "\(text) (\(keyword) at \(Self.oneLine(schemaLocation)))"
    }

    /// `pointer: explanation` (the form `plantstream schemas validate` prints).
    public var description: String {
        "\(instancePointer.isEmpty ? "/" : Self.oneLine(instancePointer)): \(explanation)"
    }

    /// `text` with control characters written as JSON escapes (`\n`, `\t`, `\u001B`), so that one violation
    /// stays one line in logs and dead-letter headers.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
