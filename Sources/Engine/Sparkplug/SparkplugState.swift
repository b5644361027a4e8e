import Sparkplug

/// One metric a BIRTH defined.
struct SparkplugBirthMetric {
    var name: String
    var alias: UInt64?
    var datatype: SparkplugDataType
    /// The BIRTH's properties of the metric (but `Quality`, which is per value): key and JSON value.
    var properties: [(key: String, json: [UInt8])]
}

/// What the last BIRTH of an edge node or device defined, and whether the node or device died since.
///
/// Kept per `<group>/<edge node>[/<device>]` in the decoder's store: it survives restarts and rebalances, so DATA
/// after a restart still resolves its aliases.
struct SparkplugBirth: StateCodable {
    private(set) var metrics: [SparkplugBirthMetric]
    /// The `bdSeq` metric of an NBIRTH (`-1`: none): an NDEATH with another one ends an earlier session.
    var bdSeq: Int64
    var isDead: Bool
    /// Metric indexes by alias and by name (derived, rebuilt on restore).
    private var byAlias: [UInt64: Int] = [:]
    private var byName: [String: Int] = [:]

    init(metrics: [SparkplugBirthMetric], bdSeq: Int64, isDead: Bool = false) {
        self.metrics = metrics
        self.bdSeq = bdSeq
        self.isDead = isDead
        for (index, metric) in metrics.enumerated() {
            if let alias = metric.alias { byAlias[alias] = index }
            byName[metric.name] = index
        }
    }

    /// The metric a DATA metric refers to: by alias when it has one, else by name.
    func index(of metric: SparkplugMetric) -> Int? {
        if let alias = metric.alias, let index = byAlias[alias] { return index }
        return metric.name.flatMap { byName[$0] }
    }

    func encode(into writer: inout StateWriter) {
        writer.write(bdSeq)
        writer.write(isDead)
        writer.write(metrics.count)
        for metric in metrics {
            writer.write(string: metric.name)
            writer.write(metric.alias.map { Int64(bitPattern: $0) + 1 } ?? 0)
            writer.write(unsigned: UInt64(metric.datatype.rawValue))
            writer.write(metric.properties.count)
            for property in metric.properties {
                writer.write(string: property.key)
                writer.write(bytes: property.json)
            }
        }
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> SparkplugBirth {
        let bdSeq = try reader.readInt64()
        let isDead = try reader.readBool()
        let count = try reader.readInt()
        guard count >= 0 else { throw StateReader.corrupt() }
        var metrics: [SparkplugBirthMetric] = []
        for _ in 0..<count {
            let name = try reader.readString()
            let alias = try reader.readInt64()
            guard let datatype = SparkplugDataType(rawValue: UInt32(truncatingIfNeeded: try reader.readUnsigned()))
            else { throw StateReader.corrupt() }
            let propertyCount = try reader.readInt()
            guard propertyCount >= 0 else { throw StateReader.corrupt() }
            var properties: [(key: String, json: [UInt8])] = []
            for _ in 0..<propertyCount {
                properties.append((try reader.readString(), try reader.readBytes()))
            }
            metrics.append(
                SparkplugBirthMetric(
                    name: name, alias: alias == 0 ? nil : UInt64(bitPattern: alias - 1), datatype: datatype,
                    properties: properties))
        }
        return SparkplugBirth(metrics: metrics, bdSeq: bdSeq, isDead: isDead)
    }
}

/// An edge node's session: the last sequence number, whether it needs a rebirth, and DATA waiting for a BIRTH.
struct SparkplugSession: StateCodable {
    /// The last `seq` of the node or one of its devices (`-1`: none since the last NBIRTH or NDEATH).
    var lastSeq: Int64 = -1
    /// A sequence gap showed lost messages; cleared by the next NBIRTH.
    var rebirthNeeded = false
    /// DATA of the node or its devices that no BIRTH defined yet, in arrival order.
    var parked: [StoredOrigin] = []

    func encode(into writer: inout StateWriter) {
        writer.write(lastSeq)
        writer.write(rebirthNeeded)
        writer.write(parked.count)
        for origin in parked { origin.encode(into: &writer) }
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> SparkplugSession {
        var session = SparkplugSession()
        session.lastSeq = try reader.readInt64()
        session.rebirthNeeded = try reader.readBool()
        let count = try reader.readInt()
        guard count >= 0 else { throw StateReader.corrupt() }
        for _ in 0..<count { session.parked.append(try StoredOrigin.decode(from: &reader)) }
        return session
    }
}

extension StoredOrigin {
    /// A copy of a consumed record.
    init(_ input: InputRecord) {
        key = input.key.map { Array($0) }
        value = input.value.map { Array($0) }
        headers = input.headers.map { (Array($0.name), $0.value.map { Array($0) }) }
        offset = input.offset
        timestamp = input.timestamp
    }

    /// The first header called `name`.
    func header(_ name: [UInt8]) -> [UInt8]? {
        for header in headers where header.name == name { return header.value }
        return nil
    }

    func encode(into writer: inout StateWriter) {
        writer.write(offset)
        writer.write(timestamp)
        Self.write(key, into: &writer)
        Self.write(value, into: &writer)
        writer.write(headers.count)
        for header in headers {
            writer.write(bytes: header.name)
            Self.write(header.value, into: &writer)
        }
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> StoredOrigin {
        let offset = try reader.readInt64()
        let timestamp = try reader.readInt64()
        let key = try read(from: &reader)
        let value = try read(from: &reader)
        let count = try reader.readInt()
        guard count >= 0 else { throw StateReader.corrupt() }
        var headers: [(name: [UInt8], value: [UInt8]?)] = []
        for _ in 0..<count { headers.append((try reader.readBytes(), try read(from: &reader))) }
        return StoredOrigin(key: key, value: value, headers: headers, offset: offset, timestamp: timestamp)
    }

    private static func write(_ bytes: [UInt8]?, into writer: inout StateWriter) {
        writer.write(bytes != nil)
        if let bytes { writer.write(bytes: bytes) }
    }

    private static func read(from reader: inout StateReader) throws(EngineError) -> [UInt8]? {
        try reader.readBool() ? try reader.readBytes() : nil
    }
}
