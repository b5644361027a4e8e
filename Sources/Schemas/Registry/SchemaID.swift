/// A schema id, `<type>/v<N>` (e.g. `machine.cycle/v2`), naming `schemas/<type>/v<N>.json`.
public struct SchemaID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The base of every catalogue `$id`.
    public static let baseURI = "https://schemas.plantstream.dev/"

    /// The type, e.g. `machine.cycle`.
    public let type: String
    /// The version, ≥ 1.
    public let version: Int

    /// Creates an id; `nil` if `type` is not a valid type name or `version` < 1.
    public init?(type: String, version: Int) {
        guard version >= 1, Self.isTypeName(type.utf8) else { return nil }
        self.type = type
        self.version = version
    }

    /// Parses `<type>/v<N>`, or the catalogue `$id` form `https://schemas.plantstream.dev/<type>/v<N>.json`.
    public init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix(Self.baseURI) {
            text = text.dropFirst(Self.baseURI.utf8.count)
            guard text.hasSuffix(".json") else { return nil }
            text = text.dropLast(5)
        }
        guard let parsed = Self.parse(Array(text.utf8)) else { return nil }
        self.type = String(decoding: parsed.type, as: UTF8.self)
        self.version = parsed.version
    }

    /// Splits `<type>/v<N>` bytes without allocating (the type is a slice of `bytes`).
    static func parse<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> (type: Bytes.SubSequence, version: Int)?
    where Bytes.Element == UInt8 {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        let type = bytes[bytes.startIndex..<slash]
        var digits = bytes[bytes.index(after: slash)...]
        guard digits.first == UInt8(ascii: "v") else { return nil }
        digits = digits.dropFirst()
        guard let first = digits.first, first != UInt8(ascii: "0"), digits.count <= 9 else { return nil }
        var version = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9") else { return nil }
            version = version * 10 + Int(digit - UInt8(ascii: "0"))
        }
        guard isTypeName(type) else { return nil }
        return (type, version)
    }

    /// Type names: dot-separated lower-case words (`[a-z][a-z0-9_]*`), at least two.
    static func isTypeName<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        var words = 0
        var atWordStart = true
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                if atWordStart { words += 1 }
                atWordStart = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                if atWordStart { return false }
            case UInt8(ascii: "."):
                if atWordStart { return false }
                atWordStart = true
            default:
                return false
            }
        }
        return words >= 2 && !atWordStart
    }

    /// The catalogue `$id`, `https://schemas.plantstream.dev/<type>/v<N>.json`.
    public var uri: String { Self.baseURI + type + "/v\(version).json" }

    /// The file path relative to the schemas directory, `<type>/v<N>.json`.
    public var relativePath: String { type + "/v\(version).json" }

    /// `<type>/v<N>`.
    public var description: String { type + "/v\(version)" }

    public static func < (lhs: SchemaID, rhs: SchemaID) -> Bool {
        lhs.type == rhs.type ? lhs.version < rhs.version : lhs.type < rhs.type
    }
}
