/// A benchmark could not run as configured, or its result failed a sanity check.
public struct BenchmarksError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The requested sizes cannot run (e.g. they exceed the embedded broker's retention).
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// The run did not produce the expected outcome.
        public static let failed = Code("failed")

        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to change.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
