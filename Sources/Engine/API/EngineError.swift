import Topology

/// A configuration or restore error of the engine (bad records are never errors: they become dead letters).
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of error, a closed set.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: UInt8, Sendable {
            case unknownRegion, unknownSource, unknownOutput, unknownTable, unknownSchema, unknownStep
            case invalidExpression, invalidStep, invalidReferenceData, unknownTimeZone, corruptState
            case unknownTopic
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The region name is not in the topology.
        public static let unknownRegion = Code(.unknownRegion)
        /// A pipeline names a source that does not exist, or a task was asked for a topic no source reads.
        public static let unknownSource = Code(.unknownSource)
        /// A step names an output that does not exist or has the wrong kind.
        public static let unknownOutput = Code(.unknownOutput)
        /// A step or function names a table that does not exist.
        public static let unknownTable = Code(.unknownTable)
        /// A schema id is not in the registry.
        public static let unknownSchema = Code(.unknownSchema)
        /// A custom step name has no registered factory.
        public static let unknownStep = Code(.unknownStep)
        /// An expression cannot be compiled (unknown function, wrong arity, unknown alias).
        public static let invalidExpression = Code(.invalidExpression)
        /// A step's options are inconsistent (e.g. `validate` not first).
        public static let invalidStep = Code(.invalidStep)
        /// A reference file cannot be read or parsed.
        public static let invalidReferenceData = Code(.invalidReferenceData)
        /// A plant calendar names a time zone Foundation does not know.
        public static let unknownTimeZone = Code(.unknownTimeZone)
        /// A changelog record cannot be decoded.
        public static let corruptState = Code(.corruptState)
        /// A changelog or table topic is not known to the engine.
        public static let unknownTopic = Code(.unknownTopic)

        public var description: String { "\(value)" }
    }

    public var code: Code
    /// Human-readable explanation, prefixed with the topology position when known.
    public var message: String
    /// Where in the topology the problem is, if anywhere.
    public var location: SourceLocation?

    /// Creates an error.
    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}
