import JSON
import Schemas

/// What the engine needs from the schema registry: versions, compiled validators, schema documents
/// (to shape outputs) and upcasting. The registry of the Schemas module conforms; tests may use a
/// directory-backed catalogue.
package protocol SchemaCatalog: AnyObject {
    /// The newest version of `type`, or `nil` when the catalogue has no such type.
    func latestVersion(ofType type: String) -> Int?
    /// The compiled validator of `<type>/v<N>`, or `nil` when unknown.
    func validator(forSchemaID id: String) -> CompiledSchema?
    /// The absolute URI of `<type>/v<N>` (its `$id`).
    func uri(forSchemaID id: String) -> String
    /// The schema document at an absolute URI without fragment (for `$ref` resolution), or `nil`.
    func schemaDocument(uri: String) -> JSONValue?
    /// Upcasts an event of `type` written in `version` to the newest version.
    /// - Throws: ``RecordFailure`` (`UPCAST_FAILED`) when a rule cannot be applied.
    func upcast(_ event: JSONValue, type: String, fromVersion version: Int) throws(RecordFailure) -> JSONValue
}
