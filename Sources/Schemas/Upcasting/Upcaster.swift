import JSON

/// Brings event documents of older versions of one subject to its newest version by applying the
/// declared rules step by step (v1 → v2 → … → vN) and rewriting `schemaVersion`.
public struct Upcaster: Sendable {
    /// The rules of one step, from version `from` to `from + 1`.
    public struct Step: Sendable, Hashable {
        /// The version the step starts from.
        public var from: Int
        /// The rules, applied in order.
        public var rules: [UpcastRule]

        /// Creates a step.
        public init(from: Int, rules: [UpcastRule]) {
            self.from = from
            self.rules = rules
        }
    }

    /// The newest version.
    public let latestVersion: Int
    /// Whether upcasting sets the root member `schemaVersion` (catalogue documents carry it; foreign records
    /// of kind `record` do not).
    public let writesSchemaVersion: Bool
    private let rulesByVersion: [Int: [UpcastRule]]

    /// Creates an upcaster; versions without a step only get `schemaVersion` rewritten (when it writes one).
    public init(latestVersion: Int, steps: [Step], writesSchemaVersion: Bool = true) {
        self.latestVersion = latestVersion
        self.writesSchemaVersion = writesSchemaVersion
        var rules: [Int: [UpcastRule]] = [:]
        for step in steps { rules[step.from, default: []] += step.rules }
        rulesByVersion = rules
    }

    /// The rules that take version `from` to `from + 1`.
    public func rules(from version: Int) -> [UpcastRule] { rulesByVersion[version] ?? [] }

    /// Upcasts `document`, written with `version`, to ``latestVersion``.
    /// - Parameters:
    ///   - document: The whole event (envelope and data); must be an object.
    ///   - version: The version it was written (and validated) with.
    /// - Returns: The document as the newest version would have it, `schemaVersion` included.
    /// - Throws: ``SchemasError/Code/upcastFailed`` if `version` is not in `1...latestVersion` or the
    ///   document is not an object.
    public func upcast(_ document: JSONValue, from version: Int) throws(SchemasError) -> JSONValue {
        guard version >= 1 && version <= latestVersion else {
            throw SchemasError(
                code: .upcastFailed, message: "version \(version) is not between 1 and \(latestVersion)")
        }
        guard case .object = document else {
            throw SchemasError(code: .upcastFailed, message: "an event document must be a JSON object")
        }
        var result = document
        for step in version..<latestVersion {
            for rule in rules(from: step) { rule.apply(to: &result) }
        }
        if version != latestVersion && writesSchemaVersion { result.setSchemaVersion(latestVersion) }
        return result
    }
}

extension JSONValue {
    /// Sets (or adds) the root member `schemaVersion`.
    fileprivate mutating func setSchemaVersion(_ version: Int) {
        guard case .object(var object) = self else { return }
        self = .null
        let value = JSONValue.number(JSONNumber(Int64(version)))
        if let index = object.members.firstIndex(where: { $0.key == "schemaVersion" }) {
            object.members[index].value = value
        } else {
            object.members.append(JSONObject.Member(key: "schemaVersion", value: value))
        }
        self = .object(object)
    }
}
