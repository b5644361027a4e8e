import JSON
import Schemas

/// The ``SchemaCatalog`` over the Schemas module's ``Schemas/SchemaRegistry`` (the catalogue in `schemas/`).
public final class RegistryCatalog: SchemaCatalog {
    /// The registry.
    public let registry: SchemaRegistry
    private let documents: [String: JSONValue]

    /// Wraps a loaded registry.
    public init(_ registry: SchemaRegistry) {
        self.registry = registry
        documents = registry.documents
    }

    /// Loads the registry from a `schemas/` directory.
    /// - Throws: ``EngineError/Code/unknownSchema`` with the registry's message when the catalogue is broken.
    public convenience init(directory: String) throws(EngineError) {
        do { self.init(try SchemaRegistry.load(directory: directory)) } catch {
            throw EngineError(.unknownSchema, "schemas in \(directory): \(error)")
        }
    }

    public func latestVersion(ofType type: String) -> Int? { registry.latestID(of: type)?.version }

    public func validator(forSchemaID id: String) -> CompiledSchema? {
        guard let schemaID = SchemaID(id) else { return nil }
        return registry.schema(schemaID)?.validator
    }

    public func uri(forSchemaID id: String) -> String { SchemaID(id)?.uri ?? id }

    public func schemaDocument(uri: String) -> JSONValue? { documents[uri] }

    public func upcast(_ event: JSONValue, type: String, fromVersion version: Int) throws(RecordFailure) -> JSONValue {
        guard let id = SchemaID(type: type, version: version) else {
            throw RecordFailure(.upcastFailed, "no schema \(type)/v\(version)")
        }
        do { return try registry.upcast(event, from: id) } catch {
            throw RecordFailure(.upcastFailed, error.message)
        }
    }
}
