/// Why a record cannot continue: becomes a dead letter's `ps_*` headers or an exception's reason.
public struct RecordFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable upper-case code; every code the engine writes is listed in ``Code/all``.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as written to `ps_error_code` (`SCHEMA_VIOLATION`).
        public let name: String

        /// A custom step's own code (upper case, as the step chose it).
        public init(custom name: String) {
            self.name = name
        }

        init(_ name: String) {
            self.name = name
        }

        public var description: String { name }
    }

    /// The code.
    public var code: Code
    /// JSON pointer into the record the problem is about (may be empty).
    public var path: String
    /// Human-readable explanation.
    public var message: String

    /// Creates a failure.
    public init(_ code: Code, path: String = "", _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(code.name): \(message)" : "\(code.name) at \(path): \(message)"
    }
}
