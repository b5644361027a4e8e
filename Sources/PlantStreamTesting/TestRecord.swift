import Engine
import JSON

/// A record the engine wrote, as captured by ``TopologyTestDriver``.
public struct TestRecord: Sendable, Hashable, CustomStringConvertible {
    /// The output or store name.
    public var name: String
    /// The topic.
    public var topic: String
    /// The destination kind.
    package var kind: Destination.Kind
    /// The explicit partition (changelogs), if any.
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [Header]
    public var timestamp: Int64

    /// One header.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: [UInt8]?
    }

    /// The key as a string.
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }

    /// The value as a string.
    public var valueString: String? { value.map { String(decoding: $0, as: UTF8.self) } }

    /// The value parsed as JSON (`nil` for tombstones and non-JSON values).
    public var json: JSONValue? { value.flatMap { try? JSONValue(parsing: $0) } }

    /// The value of the first header called `name`, as a string.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) }
    }

    /// A string member of the JSON value (`txnId`, `idempotencyKey`, …), following dotted paths.
    public func string(_ path: String) -> String? {
        guard var current = json else { return nil }
        for part in path.split(separator: ".") {
            guard let next = current[String(part)] else { return nil }
            current = next
        }
        if case .string(let text) = current { return text }
        if case .number(let number) = current { return number.description }
        return nil
    }

    public var description: String {
        "\(topic)[\(keyString ?? "null")] \(valueString ?? "null")"
    }
}
