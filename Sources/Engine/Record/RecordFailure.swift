/// Why a record cannot continue: becomes a dead letter's `ps_*` headers or an exception's reason.
package struct RecordFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable upper-case code; every code the engine writes is listed in ``Code/all``.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as written to `ps_error_code` (`SCHEMA_VIOLATION`).
        package let name: String

        /// A custom step's own code (upper case, as the step chose it).
        package init(custom name: String) {
            self.name = name
        }

        init(_ name: String) {
            self.name = name
        }

        package var description: String { name }
    }

    /// The code.
    package var code: Code
    /// JSON pointer into the record the problem is about (may be empty).
    package var path: String
    /// Human-readable explanation.
    package var message: String

    /// Creates a failure.
    package init(_ code: Code, path: String = "", _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    package var description: String {
        path.isEmpty ? "\(code.name): \(message)" : "\(code.name) at \(path): \(message)"
    }
}
