/// One problem `plantstream schemas check` reports: where, which rule, what.
public struct CatalogFinding: Sendable, Hashable, CustomStringConvertible {
    /// `file#/json/pointer`, `file:line:column` or `file`.
    public var location: String
    /// The rule broken, e.g. `BACKWARD/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL`, `invalidCatalog`,
    /// `example-valid`, `published-version-changed`.
    public var rule: String
    /// What is wrong and what was expected.
    public var message: String

    /// Creates a finding.
    public init(location: String, rule: String, message: String) {
        self.location = location
        self.rule = rule
        self.message = message
    }

    /// A finding for a loading error, located by its file (with line/column) and JSON pointer.
    public init(_ error: SchemasError) {
        var place = error.file ?? error.uri ?? "<schemas>"
        if !error.pointer.isEmpty { place += "#" + error.pointer }
        self.init(location: place, rule: error.code.rawValue, message: error.message)
    }

    /// `location: rule: message`.
    public var description: String { "\(location): \(rule): \(message)" }
}
