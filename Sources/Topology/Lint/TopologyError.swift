/// An error of the Topology module: a topology that does not load, or a secret that cannot be resolved.
public struct TopologyError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidTopology
            case unknownRegion
            case unresolvedSecret
            case unreadableFile
        }

        private let value: Value

        /// The topology has lint errors (see `findings`).
        public static let invalidTopology = Code(value: .invalidTopology)
        /// `run --region NAME` names a region the topology does not declare.
        public static let unknownRegion = Code(value: .unknownRegion)
        /// A `{ env: NAME }` or `{ file: PATH }` secret reference cannot be resolved.
        public static let unresolvedSecret = Code(value: .unresolvedSecret)
        /// A file cannot be read.
        public static let unreadableFile = Code(value: .unreadableFile)

        public var description: String {
            switch value {
            case .invalidTopology: "invalidTopology"
            case .unknownRegion: "unknownRegion"
            case .unresolvedSecret: "unresolvedSecret"
            case .unreadableFile: "unreadableFile"
            }
        }
    }

    public var code: Code
    /// The lint findings behind the error (errors and warnings), sorted by position.
    public var findings: [TopologyFinding]
    /// A one-line summary.
    public var message: String

    public init(code: Code, message: String, findings: [TopologyFinding] = []) {
        self.code = code
        self.message = message
        self.findings = findings
    }

    /// The message followed by every finding on its own line.
    public var description: String {
        ([message] + findings.map(\.description)).joined(separator: "\n")
    }
}
