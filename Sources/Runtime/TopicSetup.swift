import KafkaClient
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks that the topics a region needs exist with the right partition counts, and creates missing
/// outputs, table topics and changelogs through the admin API where the cluster allows it.
enum TopicSetup {
    /// Ensures the topics.
    ///
    /// - Parameters:
    ///   - requirements: What the region needs (``TopicRequirement/all(topology:engine:)``).
    ///   - admin: An admin client of the region's cluster.
    ///   - create: Whether to create missing non-source topics.
    ///   - logger: Where created topics are reported.
    /// - Returns: The partition count of every required topic.
    /// - Throws: ``RuntimeError/Code/missingTopic`` (a missing source, or topics the cluster cannot create),
    ///   ``RuntimeError/Code/topicMismatch`` (a changelog whose partition count differs from its source's).
    static func ensure(
        _ requirements: [TopicRequirement], admin: KafkaAdmin, create: Bool, logger: Logger
    ) throws(RuntimeError) -> [String: Int] {
        var partitions = try existing(admin)
        let missingSources = requirements.filter { $0.role == .source && partitions[$0.name] == nil }
        guard missingSources.isEmpty else {
            throw RuntimeError(
                .missingTopic,
                "source topic\(missingSources.count == 1 ? "" : "s") "
                    + missingSources.map { "'\($0.name)'" }.joined(separator: ", ")
                    + " not found on the cluster; create \(missingSources.count == 1 ? "it" : "them") first ("
                    + missingSources.map { "\($0.name):\($0.partitions)" }.joined(separator: " ")
                    + "), e.g. plantstream broker --topic NAME:PARTITIONS")
        }
        var missing: [TopicRequirement] = []
        for var requirement in requirements where partitions[requirement.name] == nil {
            if let source = requirement.source, let count = partitions[source] { requirement.partitions = count }
            missing.append(requirement)
        }
        if !missing.isEmpty {
            let list = missing.map { "\($0.name):\($0.partitions)" }.joined(separator: " ")
            guard create else {
                throw RuntimeError(.missingTopic, "missing topics (create them first): \(list)")
            }
            do {
                try admin.createTopics(
                    missing.map {
                        KafkaNewTopic(
                            name: $0.name, partitions: $0.partitions,
                            configs: $0.compacted ? ["cleanup.policy": "compact"] : [:])
                    },
                    timeout: .seconds(10), ignoreExisting: true)
            } catch {
                throw RuntimeError(
                    .missingTopic,
                    "missing topics \(list) cannot be created: \(error.message). Create them first "
                        + "(changelogs need their source's partition count and cleanup.policy=compact)")
            }
            logger.info("created topics", metadata: ["topics": "\(list)"])
            // Created topics appear in metadata shortly after.
            let deadline = ContinuousClock.now + .seconds(10)
            while true {
                partitions = try existing(admin)
                if missing.allSatisfy({ partitions[$0.name] != nil }) || ContinuousClock.now > deadline { break }
                sleepBriefly()
            }
        }
        for requirement in requirements {
            guard let count = partitions[requirement.name] else {
                throw RuntimeError(
                    .missingTopic, "topic '\(requirement.name)' (\(requirement.role.rawValue)) does not exist")
            }
            if let source = requirement.source, let expected = partitions[source], count != expected {
                throw RuntimeError(
                    .topicMismatch,
                    "changelog '\(requirement.name)' has \(count) partitions but its source '\(source)' has "
                        + "\(expected); they must be equal (recreate the changelog)")
            }
        }
        return partitions
    }

    private static func existing(_ admin: KafkaAdmin) throws(RuntimeError) -> [String: Int] {
        do {
            let metadata = try admin.metadata(timeout: .seconds(10))
            var result: [String: Int] = [:]
            for topic in metadata.topics where topic.error == nil && !topic.partitions.isEmpty {
                result[topic.name] = topic.partitions.count
            }
            return result
        } catch {
            throw RuntimeError(.kafka, "cannot read cluster metadata: \(error.message)")
        }
    }

    private static func sleepBriefly() {
        var request = timespec(tv_sec: 0, tv_nsec: 200_000_000)
        _ = nanosleep(&request, nil)
    }
}
