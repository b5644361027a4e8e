import JSON
import Sparkplug
import Timekeeping

/// Writes the JSON of `sparkplug.metric` and `sparkplug.exception` records into a reused buffer.
struct SparkplugRecordWriter {
    /// Where one metric came from.
    struct MetricOrigin {
        var topicText: String
        var topic: SparkplugTopic
        var seq: UInt64?
        /// The UUIDv5 name of the record: `<kafka topic>|<partition>|<offset>|<index>`.
        var eventId: [UInt8]
    }

    private(set) var writer = JSONWriter(capacity: 1024)
    private var scratch: [UInt8] = []

    /// A metric record.
    mutating func metric(
        _ origin: MetricOrigin, name: String, alias: UInt64?, datatype: SparkplugDataType, value: SparkplugValue,
        timestamp: Int64, quality: (name: StaticString, code: Int64?), historical: Bool, transient: Bool,
        properties: SparkplugPropertySet?, birthProperties: [(key: String, json: [UInt8])]
    ) {
        writer.reset()
        writer.beginObject()
        writer.plainKey("eventId")
        scratch.removeAll(keepingCapacity: true)
        origin.eventId.withUnsafeBytes { UUIDv5.append(name: $0, to: &scratch) }
        scratch.withUnsafeBytes { writer.string(utf8: $0) }
        writer.plainKey("topic")
        writer.string(origin.topicText)
        writer.plainKey("group")
        writer.string(origin.topic.group)
        writer.plainKey("messageType")
        writer.string(origin.topic.messageType.rawValue)
        writer.plainKey("edgeNode")
        writer.string(origin.topic.edgeNode)
        if let device = origin.topic.device {
            writer.plainKey("device")
            writer.string(device)
        }
        if let seq = origin.seq, seq <= 255 {
            writer.plainKey("seq")
            writer.int(Int64(seq))
        }
        writer.plainKey("name")
        writer.string(name)
        if let alias {
            writer.plainKey("alias")
            Self.unsigned(alias, to: &writer)
        }
        writer.plainKey("datatype")
        writer.string(datatype.description)
        writer.plainKey("value")
        Self.value(value, to: &writer)
        writer.plainKey("timestamp")
        writer.int(max(timestamp, 0))
        writer.plainKey("quality")
        writer.string(quality.name)
        if let code = quality.code {
            writer.plainKey("qualityCode")
            writer.int(code)
        }
        if historical {
            writer.plainKey("historical")
            writer.bool(true)
        }
        if transient {
            writer.plainKey("transient")
            writer.bool(true)
        }
        let own = properties.map { zip($0.keys, $0.values).filter { $0.0 != "Quality" } } ?? []
        let inherited =
            own.isEmpty
            ? birthProperties : birthProperties.filter { property in !own.contains { $0.0 == property.key } }
        if !own.isEmpty || !inherited.isEmpty {
            writer.plainKey("properties")
            writer.beginObject()
            for (key, property) in own {
                writer.key(key)
                Self.value(property.value, to: &writer)
            }
            for property in inherited {
                writer.key(property.key)
                property.json.withUnsafeBytes { writer.raw($0) }
            }
            writer.endObject()
        }
        writer.endObject()
    }

    /// A `sparkplug.exception` record.
    mutating func exception(
        kind: StaticString, topicText: String, topic: SparkplugTopic, message: String, occurredAt: Int64,
        sequence: (expected: Int64, received: Int64)?, rebirthNeeded: Bool,
        source: (topic: String, partition: Int32, offset: Int64)
    ) {
        writer.reset()
        writer.beginObject()
        writer.plainKey("exceptionId")
        scratch.removeAll(keepingCapacity: true)
        Array("\(kind)|\(source.topic)|\(source.partition)|\(source.offset)".utf8).withUnsafeBytes {
            UUIDv5.append(name: $0, to: &scratch)
        }
        scratch.withUnsafeBytes { writer.string(utf8: $0) }
        writer.plainKey("kind")
        writer.string(kind)
        writer.plainKey("group")
        writer.string(topic.group)
        writer.plainKey("edgeNode")
        writer.string(topic.edgeNode)
        if let device = topic.device {
            writer.plainKey("device")
            writer.string(device)
        }
        writer.plainKey("topic")
        writer.string(topicText)
        writer.plainKey("message")
        writer.string(String(message.prefix(500)))
        writer.plainKey("occurredAt")
        writer.string(RFC3339.string(max(occurredAt, 0)))
        if let sequence {
            writer.plainKey("expectedSeq")
            writer.int(sequence.expected)
            writer.plainKey("receivedSeq")
            writer.int(sequence.received)
            let count = (sequence.received - sequence.expected + 256) % 256
            writer.plainKey("missing")
            writer.beginObject()
            writer.plainKey("from")
            writer.int(sequence.expected)
            writer.plainKey("to")
            writer.int((sequence.received + 255) % 256)
            writer.plainKey("count")
            writer.int(count)
            writer.endObject()
        }
        writer.plainKey("rebirthNeeded")
        writer.bool(rebirthNeeded)
        writer.plainKey("source")
        writer.beginObject()
        writer.plainKey("topic")
        writer.string(source.topic)
        writer.plainKey("partition")
        writer.int(Int64(source.partition))
        writer.plainKey("offset")
        writer.int(source.offset)
        writer.endObject()
        writer.endObject()
    }

    /// A value as JSON: numbers, text, booleans, arrays and property sets; Bytes as base64; null where JSON has no
    /// value (not finite numbers, values not decoded).
    static func value(_ value: SparkplugValue, to writer: inout JSONWriter) {
        switch value {
        case .null, .unsupported: writer.null()
        case .int(let number): writer.int(number)
        case .uint(let number): unsigned(number, to: &writer)
        case .float(let number):
            if number.isFinite {
                Array(number.description.utf8).withUnsafeBytes { writer.raw($0) }
            } else {
                writer.null()
            }
        case .double(let number):
            if number.isFinite {
                Array(number.description.utf8).withUnsafeBytes { writer.raw($0) }
            } else {
                writer.null()
            }
        case .bool(let flag): writer.bool(flag)
        case .string(let text): writer.string(text)
        case .bytes(let bytes): writer.string(base64(bytes))
        case .array(let elements):
            writer.beginArray()
            for element in elements { Self.value(element, to: &writer) }
            writer.endArray()
        case .propertySet(let set):
            writer.beginObject()
            for (key, property) in zip(set.keys, set.values) {
                writer.key(key)
                Self.value(property.value, to: &writer)
            }
            writer.endObject()
        case .propertySetList(let sets):
            writer.beginArray()
            for set in sets { Self.value(.propertySet(set), to: &writer) }
            writer.endArray()
        }
    }

    /// The JSON text of a value (a BIRTH's properties kept in state).
    static func json(_ value: SparkplugValue) -> [UInt8] {
        var writer = JSONWriter(capacity: 64)
        Self.value(value, to: &writer)
        return writer.withBytes { Array($0) }
    }

    static func unsigned(_ number: UInt64, to writer: inout JSONWriter) {
        if number <= UInt64(Int64.max) {
            writer.int(Int64(number))
        } else {
            Array(number.description.utf8).withUnsafeBytes { writer.raw($0) }
        }
    }

    /// RFC 4648 base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var chunk: UInt32 = 0
            for offset in 0..<3 { chunk = chunk << 8 | (offset < count ? UInt32(bytes[index + offset]) : 0) }
            for position in 0..<4 {
                text.append(position <= count ? alphabet[Int(chunk >> (18 - 6 * UInt32(position)) & 63)] : 0x3D)
            }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }
}
