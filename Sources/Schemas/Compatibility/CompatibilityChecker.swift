import JSON

/// Compares schema versions with Confluent Schema Registry's JSON Schema compatibility rules.
///
/// The checker holds every schema document of a catalogue, keyed by absolute URI, so `$ref`s
/// (also across files) resolve; referenced schemas are compared where they are used.
public struct CompatibilityChecker: Sendable {
    /// What part of a schema document is compared.
    public enum Scope: Sendable, Hashable {
        /// The root schema (document subjects: events, transactions, analytics).
        case document
        /// Each `$defs` entry by name (definitions subjects).
        case definitions
    }

    private let resolver: SchemaResolver

    /// Creates a checker over `documents` (absolute URI without fragment → schema).
    public init(documents: [String: JSONValue]) {
        resolver = SchemaResolver(documents: documents)
    }

    /// Every difference from `original` to `update` (both URIs of documents of this checker),
    /// compatible ones included.
    /// - Parameters:
    ///   - original: the writer's schema.
    ///   - update: the reader's schema.
    ///   - scope: root schema or `$defs` entries.
    ///   - ignoring: schema pointers (`#/properties/schemaVersion`) whose subtrees are not compared.
    /// - Returns: the differences in schema order; a missing document yields one `REFERENCE_UNRESOLVED`.
    public func differences(
        from original: String, to update: String, scope: Scope = .document, ignoring: Set<String> = []
    ) -> [SchemaDifference] {
        var comparison = SchemaComparison(resolver: resolver, ignored: ignoring)
        guard let originalNode = resolver.resource(original), let updateNode = resolver.resource(update) else {
            return [SchemaDifference(kind: .referenceUnresolved, pointer: "#")]
        }
        switch scope {
        case .document: comparison.compare(originalNode, updateNode)
        case .definitions: comparison.compareDefinitions(originalNode, updateNode)
        }
        return comparison.differences
    }

    /// The incompatibilities of `version` against `earlier` versions under `mode`.
    /// - Parameters:
    ///   - mode: the subject's compatibility mode.
    ///   - version: URI of the new version.
    ///   - earlier: URIs of the earlier versions, oldest first.
    ///   - scope: root schema or `$defs` entries.
    ///   - ignoring: schema pointers not compared (the version discriminator).
    /// - Returns: the incompatible differences; empty when compatible.
    public func check(
        _ mode: CompatibilityMode, version: String, earlier: [String], scope: Scope = .document,
        ignoring: Set<String> = []
    ) -> [CompatibilityIssue] {
        guard mode != .none, let previous = earlier.last else { return [] }
        let targets = mode.isTransitive ? earlier : [previous]
        var issues: [CompatibilityIssue] = []
        for target in targets {
            if mode.checksBackward {
                for difference in differences(from: target, to: version, scope: scope, ignoring: ignoring)
                where !difference.isCompatible {
                    issues.append(CompatibilityIssue(difference: difference, direction: .backward, against: target))
                }
            }
            if mode.checksForward {
                for difference in differences(from: version, to: target, scope: scope, ignoring: ignoring)
                where !difference.isCompatible {
                    issues.append(CompatibilityIssue(difference: difference, direction: .forward, against: target))
                }
            }
        }
        return issues
    }

    /// Every difference from `original` to `update`, two standalone schemas without external `$ref`s.
    public static func differences(from original: JSONValue, to update: JSONValue) -> [SchemaDifference] {
        let checker = CompatibilityChecker(documents: [
            "urn:plantstream:original": original, "urn:plantstream:update": update,
        ])
        return checker.differences(from: "urn:plantstream:original", to: "urn:plantstream:update")
    }
}
