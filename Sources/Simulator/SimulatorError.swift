/// An error of the simulator: bad options, unreadable or inconsistent reference data, no routable events.
public struct SimulatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: String

        /// A command-line or configuration value is malformed or out of range.
        public static let invalidOption = Code(rawValue: "invalidOption")
        /// A reference file is missing, unreadable or lacks a column the simulator needs.
        public static let invalidReferenceData = Code(rawValue: "invalidReferenceData")
        /// The topology cannot be read or does not declare what the simulator needs.
        public static let invalidTopology = Code(rawValue: "invalidTopology")
        /// The catalogue has a newer version of a type than the simulator can write.
        public static let unsupportedSchema = Code(rawValue: "unsupportedSchema")
        /// Nothing to generate (no plant, no machine, or no enabled type has a topic).
        public static let nothingToGenerate = Code(rawValue: "nothingToGenerate")

        public var description: String { rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// What is wrong and what was expected.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
