import ArgumentParser
import Foundation
import KafkaClient
import Logging
import Runtime
import Topology

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `plantstream broker`: serves an embedded Kafka-protocol cluster on 127.0.0.1 for local use.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Serve an embedded Kafka-protocol broker (librdkafka's mock cluster) on 127.0.0.1.",
        discussion: """
            Any Kafka client (kcat, confluent-kafka, PlantStream) can bootstrap from 127.0.0.1:<port>.
            librdkafka's mock brokers listen on ephemeral ports; the requested port forwards to the
            first broker, and clients then use the broker addresses advertised in metadata.
            Data lives in memory only, at most 5 MiB per partition. Stops on SIGINT or SIGTERM (exit 0).
            """
    )

    @Option(help: "The TCP port clients bootstrap from (0: use the first broker's own ephemeral port).")
    var port = 9092

    @Option(help: "The number of brokers (1…64).")
    var brokers = 1

    @Option(name: .customLong("topic"), help: "Create a topic: NAME:PARTITIONS (repeatable; PARTITIONS defaults to 1).")
    var topics: [String] = []

    @Option(
        help: ArgumentHelp(
            "Create every topic this topology needs (sources, outputs, table topics, changelogs).",
            valueName: "file"))
    var topology: String?

    @Option(
        help: ArgumentHelp(
            "With --topology: the region whose topics to create (default: every region).", valueName: "name"))
    var region: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port)") }
        guard (1...64).contains(brokers) else { throw ValidationError("--brokers must be 1…64, not \(brokers)") }
        for topic in topics { _ = try Self.parseTopic(topic) }
        if region != nil && topology == nil { throw ValidationError("--region needs --topology") }
    }

    /// The topics `topology` needs in `region` (every region when `nil`), by name.
    static func topologyTopics(_ path: String, region: String?) throws -> [(name: String, partitions: Int)] {
        let regions: [String]
        if let region {
            regions = [region]
        } else {
            let lint = TopologyLoader().lint(contentsOf: path)
            guard let topology = lint.topology, lint.errors.isEmpty else {
                for finding in lint.findings { printError(finding.description) }
                throw ExitCode(1)
            }
            regions = topology.regions.map(\.name)
        }
        var topics: [String: Int] = [:]
        var order: [String] = []
        for name in regions {
            let requirements: [TopicRequirement]
            do {
                requirements = try RuntimePlan.load(
                    RuntimeConfiguration(
                        topologyPath: path, region: name, bootstrapServers: "127.0.0.1:0",
                        environment: ProcessInfo.processInfo.environment)
                ).topicRequirements()
            } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
            for requirement in requirements where topics[requirement.name] == nil {
                topics[requirement.name] = requirement.partitions
                order.append(requirement.name)
            }
        }
        return order.map { ($0, topics[$0]!) }
    }

    /// Parses `NAME:PARTITIONS`.
    static func parseTopic(_ text: String) throws -> (name: String, partitions: Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let name = parts.first.map(String.init) ?? ""
        let validName =
            !name.isEmpty && name.count <= 249
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
        guard validName, parts.count <= 2 else {
            throw ValidationError(
                "--topic '\(text)': expected NAME:PARTITIONS, NAME of letters, digits, '.', '_' or '-'"
            )
        }
        guard parts.count == 2 else { return (name, 1) }
        guard let partitions = Int(parts[1]), (1...10_000).contains(partitions) else {
            throw ValidationError("--topic '\(text)': PARTITIONS must be a number from 1 to 10000")
        }
        return (name, partitions)
    }

    func run() async throws {
        let signals = TerminationSignals()
        logging.bootstrap(default: .warning)
        let logger = Logger(label: "plantstream.broker")

        var created = try topics.map(Self.parseTopic)
        if let topology {
            // Partition counts given with --topic win.
            for topic in try Self.topologyTopics(topology, region: region)
            where !created.contains(where: { $0.name == topic.name }) {
                created.append(topic)
            }
        }
        let cluster = try KafkaEmbeddedCluster(brokers: brokers, logger: logger)
        for (name, partitions) in created {
            try cluster.createTopic(name, partitions: partitions, replicationFactor: min(brokers, 3))
        }
        var listener: KafkaEmbeddedListener?
        if port != 0 {
            do throws(KafkaError) {
                listener = try cluster.listen(port: port)
            } catch {
                guard error.code == .portInUse else { throw error }
                Self.printError("error: \(error.message); stop the other server or choose another --port")
                throw ExitCode(1)
            }
        }
        let bootstrap = listener.map { "127.0.0.1:\($0.port)" } ?? cluster.bootstrapServers
        print("PlantStream embedded broker (librdkafka \(KafkaLibrary.version) mock cluster, \(brokers) broker(s))")
        print("bootstrap.servers=\(bootstrap)")
        print("brokers: \(cluster.bootstrapServers)")
        if !created.isEmpty { print("topics: \(created.map { "\($0.name):\($0.partitions)" }.joined(separator: " "))") }
        print("Stop with Ctrl-C or SIGTERM.")
        // Scripts and tests wait for these lines: do not leave them in a pipe buffer.
        fflush(nil)

        let number = await signals.wait()
        listener?.close()
        print("stopping on signal \(number)")
        fflush(nil)
        withExtendedLifetime(cluster) {}
    }

    private static func printError(_ text: String) {
        let line = text + "\n"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }
}
