import Topology

/// A `sparkplug_b` source compiled once: its options, the changelog of its decoders' state and the output of its
/// `sparkplug.exception` records.
final class SparkplugPlan {
    let options: SparkplugOptions
    /// The changelog of every task's ``SparkplugDecoder`` state (`<application>-<region>-<source>-sparkplug-changelog`).
    let store: Destination
    /// Where sequence gaps and deaths are written (`nil`: counted only).
    let exceptions: Destination?
    /// The header holding the MQTT topic (`nil`: the record key).
    let topicHeader: [UInt8]?

    init(options: SparkplugOptions, store: Destination, exceptions: Destination?) {
        self.options = options
        self.store = store
        self.exceptions = exceptions
        topicHeader = options.topicHeader.map { Array($0.utf8) }
    }

    /// Where the topic is, for dead-letter paths and messages.
    var topicLocation: String { options.topicHeader.map { "header \($0)" } ?? "the record key" }
}
