/// A Sparkplug B payload (the protobuf `Payload` message of the Sparkplug 3.0 specification).
public struct SparkplugPayload: Sendable, Hashable {
    /// When the message was sent (epoch milliseconds).
    public var timestamp: UInt64?
    public var metrics: [SparkplugMetric]
    /// The edge node's message sequence number (0 … 255); NDEATH has none.
    public var seq: UInt64?
    public var uuid: String?
    public var body: [UInt8]?

    public init(
        timestamp: UInt64? = nil, metrics: [SparkplugMetric] = [], seq: UInt64? = nil, uuid: String? = nil,
        body: [UInt8]? = nil
    ) {
        self.timestamp = timestamp
        self.metrics = metrics
        self.seq = seq
        self.uuid = uuid
        self.body = body
    }
}

/// One metric of a payload: a BIRTH defines its name, alias, datatype and properties; a DATA message may carry
/// only the alias and the value.
public struct SparkplugMetric: Sendable, Hashable {
    public var name: String?
    public var alias: UInt64?
    /// When the value was sampled (epoch milliseconds).
    public var timestamp: UInt64?
    /// The raw `datatype` (see ``SparkplugDataType``).
    public var datatype: UInt32?
    public var isHistorical = false
    public var isTransient = false
    public var isNull = false
    public var properties: SparkplugPropertySet?
    public var value: SparkplugWireValue?

    public init(
        name: String? = nil, alias: UInt64? = nil, timestamp: UInt64? = nil, datatype: SparkplugDataType? = nil,
        value: SparkplugWireValue? = nil, properties: SparkplugPropertySet? = nil
    ) {
        self.name = name
        self.alias = alias
        self.timestamp = timestamp
        self.datatype = datatype?.rawValue
        self.value = value
        self.properties = properties
        isNull = value == nil
    }
}

/// A metric's properties (`engUnit`, `Quality`, …): keys and values in order.
public struct SparkplugPropertySet: Sendable, Hashable {
    public var keys: [String]
    public var values: [SparkplugPropertyValue]

    public init(keys: [String] = [], values: [SparkplugPropertyValue] = []) {
        self.keys = keys
        self.values = values
    }

    /// The value of `key`, if the set has it.
    public subscript(key: String) -> SparkplugPropertyValue? {
        guard let index = keys.firstIndex(of: key), index < values.count else { return nil }
        return values[index]
    }
}

/// One property value: its datatype and value.
public struct SparkplugPropertyValue: Sendable, Hashable {
    /// The raw `type` (see ``SparkplugDataType``).
    public var type: UInt32?
    public var value: SparkplugValue

    public init(type: SparkplugDataType?, value: SparkplugValue) {
        self.type = type?.rawValue
        self.value = value
    }
}
