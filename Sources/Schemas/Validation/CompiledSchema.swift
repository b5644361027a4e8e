import JSON

/// A schema compiled by ``SchemaCompiler``: immutable, `Sendable`, reusable from any thread.
///
/// ``isValid(_:)-(JSONNode)`` is the hot path: it walks the reader's tape once, stops at the first
/// failure and allocates nothing for typical schemas. ``validate(_:maxErrors:)-(JSONNode,_)`` also
/// explains every failure (instance pointer, keyword location, message).
public struct CompiledSchema: Sendable {
    /// The URI the schema was compiled from.
    public let uri: String
    let rootNode: SchemaNode
    let store: SchemaNodeStore
    let tracksDynamicScope: Bool
    /// The flat form used by ``isValid(_:)-(JSONNode)`` (nil for recursive or dynamic-scope schemas).
    let fast: FastProgram?
    /// `fast`'s root, kept apart so that the hot path touches no reference count. Safe to share:
    /// it points into `fast`'s storage, which is written only while building and freed with `fast`.
    nonisolated(unsafe) let fastRoot: FastRef?

    init(uri: String, rootNode: SchemaNode, store: SchemaNodeStore, tracksDynamicScope: Bool) {
        self.uri = uri
        self.rootNode = rootNode
        self.store = store
        self.tracksDynamicScope = tracksDynamicScope
        fast = FastProgram.build(root: rootNode.data, tracksDynamicScope: tracksDynamicScope)
        fastRoot = fast?.root
    }

    /// `true` if `instance` conforms (fast path: no error details).
    public func isValid(_ instance: JSONNode) -> Bool {
        if let fastRoot { return FastProgram.conforms(fastRoot, instance, nil) }
        return isValidByGeneralValidator(instance)
    }

    /// ``isValid(_:)-(JSONNode)`` by the general validator (the reference the fast program must agree with).
    func isValidByGeneralValidator(_ instance: JSONNode) -> Bool {
        var context = ValidationContext(detailed: false, maxErrors: 0, tracksDynamicScope: tracksDynamicScope)
        let valid = context.validate(rootNode.data, instance, nil)
        return valid && !context.depthExceeded
    }

    /// Validates `instance` and explains each failure.
    ///
    /// - Parameters:
    ///   - instance: A value of a parsed document.
    ///   - maxErrors: Stop collecting after this many violations.
    /// - Returns: The violations; empty when the instance conforms. Failures inside `anyOf`,
    ///   `oneOf`, `not`, `if` and `contains` branches are summarised by one violation of that keyword.
    public func validate(_ instance: JSONNode, maxErrors: Int = 64) -> [SchemaViolation] {
        var context = ValidationContext(
            detailed: true, maxErrors: max(1, maxErrors), tracksDynamicScope: tracksDynamicScope)
        var valid = context.validate(rootNode.data, instance, nil)
        if context.depthExceeded {
            valid = false
            if !context.errors.contains(where: { $0.message == ValidationContext.depthMessage }) {
                context.errors.append(
                    SchemaViolation(
                        instancePointer: "", keywordLocation: "", absoluteKeywordLocation: rootNode.location,
                        message: ValidationContext.depthMessage))
            }
        }
        if !valid && context.errors.isEmpty {
            context.errors.append(
                SchemaViolation(
                    instancePointer: "", keywordLocation: "", absoluteKeywordLocation: rootNode.location,
                    message: "does not conform to the schema"))
        }
        return valid ? [] : context.errors
    }

    /// `true` if `value` conforms (serialises and parses it; not for the hot path).
    public func isValid(_ value: JSONValue) -> Bool {
        withDocument(value) { isValid($0) } ?? false
    }

    /// Validates `value` and explains each failure (serialises and parses it; not for the hot path).
    public func validate(_ value: JSONValue, maxErrors: Int = 64) -> [SchemaViolation] {
        withDocument(value) { validate($0, maxErrors: maxErrors) } ?? [
            SchemaViolation(
                instancePointer: "", keywordLocation: "", absoluteKeywordLocation: rootNode.location,
                message: "value nested too deeply to validate")
        ]
    }

    private func withDocument<R>(_ value: JSONValue, _ body: (JSONNode) -> R) -> R? {
        var writer = JSONWriter()
        writer.value(value)
        let tape = JSONTape()
        return writer.withBytes { bytes in
            // The writer produced valid JSON, so parsing fails only beyond the nesting limit.
            guard let document = try? JSONReader(maxDepth: 10_000).parse(bytes, into: tape) else { return nil }
            return body(document.root)
        }
    }
}
