/// Why a record cannot continue: becomes a dead letter's `ps_*` headers or an exception's reason.
public struct RecordFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable upper-case code (`SCHEMA_VIOLATION`, `ENRICHMENT_MISSING`, …; see docs/engine.md).
    public var code: String
    /// JSON pointer into the record the problem is about (may be empty).
    public var path: String
    /// Human-readable explanation.
    public var message: String

    /// Creates a failure.
    public init(_ code: String, path: String = "", _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? "\(code): \(message)" : "\(code) at \(path): \(message)" }
}
