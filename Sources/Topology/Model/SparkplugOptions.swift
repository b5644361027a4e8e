/// `sparkplug:` of a source with `envelope: sparkplug_b`: where the MQTT topic is, how long DATA may wait for its
/// BIRTH, and where sequence gaps and deaths are reported.
public struct SparkplugOptions: Sendable, Hashable {
    /// The header holding the MQTT topic; `nil`: the record key is the topic (what MQTT bridges write).
    public var topicHeader: String?
    /// DATA messages of one edge node kept while no BIRTH defines their metrics; beyond it the oldest becomes a
    /// `SPARKPLUG_NO_BIRTH` dead letter.
    public var parkLimit: Int
    /// The `records` output for `sparkplug.exception` records (sequence gaps, deaths); `nil`: not written.
    public var exceptions: String?
    /// On NDEATH / DDEATH, one metric record per metric of the node or device with quality `STALE`.
    public var staleEvents: Bool

    /// The schema of the metric records the envelope produces.
    public static let metricSchema = "sparkplug.metric/v1"
    /// The schema of the records written to `exceptions`.
    public static let exceptionSchema = "sparkplug.exception/v1"
    /// The default `parkLimit`.
    public static let defaultParkLimit = 1000

    public init(
        topicHeader: String? = nil, parkLimit: Int = Self.defaultParkLimit, exceptions: String? = nil,
        staleEvents: Bool = false
    ) {
        self.topicHeader = topicHeader
        self.parkLimit = parkLimit
        self.exceptions = exceptions
        self.staleEvents = staleEvents
    }
}
