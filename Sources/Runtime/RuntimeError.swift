/// A start-up or processing failure of the runtime (bad records are never errors: they become dead letters).
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    /// The kind of error, a closed set.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidTopology, unresolvedSecret, invalidConfiguration, missingTopic, topicMismatch
            case kafka, engine, restore, delivery, unsupported, timedOut
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The topology has lint errors (see ``RuntimeError/findings``).
        public static let invalidTopology = Code(.invalidTopology)
        /// A secret referenced by the topology (environment variable or file) cannot be read.
        public static let unresolvedSecret = Code(.unresolvedSecret)
        /// An option or setting is out of range, or the schemas / reference data cannot be loaded.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A topic the region needs does not exist and cannot be created.
        public static let missingTopic = Code(.missingTopic)
        /// A topic exists with the wrong partition count (changelogs must match their source).
        public static let topicMismatch = Code(.topicMismatch)
        /// The Kafka client failed.
        public static let kafka = Code(.kafka)
        /// The engine rejected the topology or a record it cannot handle.
        public static let engine = Code(.engine)
        /// A partition's state could not be restored from its changelog.
        public static let restore = Code(.restore)
        /// An output could not be delivered; input offsets were not committed past it.
        public static let delivery = Code(.delivery)
        /// The requested mode is not available.
        public static let unsupported = Code(.unsupported)
        /// An operation did not finish in time.
        public static let timedOut = Code(.timedOut)

        public var description: String {
            switch base {
            case .invalidTopology: "invalidTopology"
            case .unresolvedSecret: "unresolvedSecret"
            case .invalidConfiguration: "invalidConfiguration"
            case .missingTopic: "missingTopic"
            case .topicMismatch: "topicMismatch"
            case .kafka: "kafka"
            case .engine: "engine"
            case .restore: "restore"
            case .delivery: "delivery"
            case .unsupported: "unsupported"
            case .timedOut: "timedOut"
            }
        }
    }

    /// The kind of error.
    public var code: Code
    /// What went wrong and what to do, free of secret values.
    public var message: String
    /// Lint findings (`file:line:column: error: message`), for ``Code/invalidTopology``.
    public var findings: [String]

    /// Creates an error.
    public init(_ code: Code, _ message: String, findings: [String] = []) {
        self.code = code
        self.message = message
        self.findings = findings
    }

    public var description: String { message }
}
