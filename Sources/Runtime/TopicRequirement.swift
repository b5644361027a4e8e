import Engine
import Topology

/// A topic a region reads or writes, with the partition count it needs.
public struct TopicRequirement: Sendable, Hashable, CustomStringConvertible {
    /// Why the region needs the topic.
    public enum Role: String, Sendable, Hashable {
        /// Events the pipelines read (must exist: the runtime never creates inputs).
        case source
        /// ERP transactions, analytics records, dead letters or exceptions.
        case output
        /// A compacted topic that feeds a global table (and may be written by a pipeline).
        case table
        /// A state store changelog (compacted; same partition count as its source).
        case changelog
    }

    /// The topic.
    public var name: String
    /// Partitions to create it with.
    public var partitions: Int
    /// Why it is needed.
    public var role: Role
    /// `cleanup.policy=compact`.
    public var compacted: Bool
    /// For changelogs: the source topic whose partition count it must have.
    public var source: String?

    /// Creates a requirement.
    public init(name: String, partitions: Int, role: Role, compacted: Bool, source: String? = nil) {
        self.name = name
        self.partitions = partitions
        self.role = role
        self.compacted = compacted
        self.source = source
    }

    public var description: String { "\(name) (\(role.rawValue), \(partitions) partitions)" }

    /// The topics of a region: sources, outputs, table topics and changelogs, each once, in that order.
    ///
    /// - Parameters:
    ///   - topology: The topology.
    ///   - engine: The region's engine (it knows the changelogs and which sources are read).
    package static func all(topology: Topology, engine: Engine) -> [TopicRequirement] {
        var result: [TopicRequirement] = []
        var seen = Set<String>()
        func add(_ requirement: TopicRequirement) {
            if seen.insert(requirement.name).inserted { result.append(requirement) }
        }
        let read = Set(engine.sourceTopics)
        for source in topology.sources where read.contains(source.topic) {
            add(TopicRequirement(name: source.topic, partitions: source.partitions, role: .source, compacted: false))
        }
        for output in topology.outputs {
            let isTable = output.kind == .table
            add(
                TopicRequirement(
                    name: output.topic, partitions: output.partitions, role: isTable ? .table : .output,
                    compacted: isTable))
        }
        for topic in engine.tableTopics {
            add(TopicRequirement(name: topic, partitions: 1, role: .table, compacted: true))
        }
        for source in topology.sources where read.contains(source.topic) {
            for changelog in engine.changelogTopics(forSourceTopic: source.topic) {
                add(
                    TopicRequirement(
                        name: changelog, partitions: source.partitions, role: .changelog, compacted: true,
                        source: source.topic))
            }
        }
        return result
    }
}
