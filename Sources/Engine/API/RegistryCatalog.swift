import JSON
import Schemas

/// The ``SchemaCatalog`` over the Schemas module's ``Schemas/SchemaRegistry`` (the catalogue in `schemas/`).
package final class RegistryCatalog: SchemaCatalog {
    /// The registry.
    package let registry: SchemaRegistry
    private let documents: [String: JSONValue]

    /// Wraps a loaded registry.
    package init(_ registry: SchemaRegistry) {
        self.registry = registry
        documents = registry.documents
    }

    /// Loads the registry from a `schemas/` directory.
    /// - Throws: ``EngineError/Code/unknownSchema`` with the registry's message when the catalogue is broken.
    package convenience init(directory: String) throws(EngineError) {
        do { self.init(try SchemaRegistry.load(directory: directory)) } catch {
            throw EngineError(.unknownSchema, "schemas in \(directory): \(error)")
        }
    }

    package func latestVersion(ofType type: String) -> Int? { registry.latestID(of: type)?.version }

    package func validator(forSchemaID id: String) -> CompiledSchema? {
        guard let schemaID = SchemaID(id) else { return nil }
        return registry.schema(schemaID)?.validator
    }

    package func uri(forSchemaID id: String) -> String { SchemaID(id)?.uri ?? id }

    package func schemaDocument(uri: String) -> JSONValue? { documents[uri] }

    package func upcast(_ event: JSONValue, type: String, fromVersion version: Int) throws(RecordFailure) -> JSONValue {
        guard let id = SchemaID(type: type, version: version) else {
            throw RecordFailure(.upcastFailed, "no schema \(type)/v\(version)")
        }
        do { return try registry.upcast(event, from: id) } catch {
            throw RecordFailure(.upcastFailed, error.message)
        }
    }
}
