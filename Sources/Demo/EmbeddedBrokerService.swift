import KafkaClient
import Logging
import Runtime
import ServiceLifecycle

/// An in-process embedded Kafka cluster (librdkafka's mock) as a `Service`: the topics are created when the
/// service is made; it keeps the cluster up until graceful shutdown. Listed first in a `ServiceGroup`, it is
/// shut down last.
public final class EmbeddedBrokerService: Service {
    /// The cluster.
    public let cluster: KafkaEmbeddedCluster
    /// The port forwarder on a fixed port, when one could be opened.
    public let listener: KafkaEmbeddedListener?
    /// The address in-process clients use (the mock brokers' own addresses).
    public var bootstrapServers: String { cluster.bootstrapServers }
    /// The address to give users (`kcat -b ...`): the fixed port when listening, else the brokers' addresses.
    public var advertisedAddress: String { listener.map { "127.0.0.1:\($0.port)" } ?? cluster.bootstrapServers }

    /// Starts a one-broker cluster with the given topics.
    ///
    /// - Parameters:
    ///   - topics: Topics to create.
    ///   - port: A fixed port to serve on as well (0 or `nil`: none); when it is taken, only the ephemeral
    ///     broker ports serve.
    ///   - logger: The cluster's logger.
    /// - Throws: ``KafkaClient/KafkaError`` when the cluster cannot start.
    public init(topics: [TopicRequirement], port: Int?, logger: Logger) throws(KafkaError) {
        cluster = try KafkaEmbeddedCluster(brokers: 1, logger: logger)
        for topic in topics {
            try cluster.createTopic(topic.name, partitions: topic.partitions)
        }
        var listener: KafkaEmbeddedListener?
        if let port, port > 0 {
            do {
                listener = try cluster.listen(port: port)
            } catch {
                logger.notice("port \(port) is not available (\(error.message)); using the broker's own port")
            }
        }
        self.listener = listener
    }

    /// Waits for graceful shutdown, then stops listening.
    public func run() async throws {
        defer { listener?.close() }
        try? await gracefulShutdown()
    }
}
