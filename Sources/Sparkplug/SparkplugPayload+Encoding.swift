extension SparkplugPayload {
    /// The payload's protobuf bytes (the simulator's edge nodes and the tests).
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        if let timestamp { writer.varintField(1, timestamp) }
        for metric in metrics { writer.messageField(2) { metric.write(to: &$0) } }
        if let seq { writer.varintField(3, seq) }
        if let uuid { writer.stringField(4, uuid) }
        if let body { writer.bytesField(5, body) }
        return writer.bytes
    }
}

extension SparkplugMetric {
    func write(to writer: inout ProtobufWriter) {
        if let name { writer.stringField(1, name) }
        if let alias { writer.varintField(2, alias) }
        if let timestamp { writer.varintField(3, timestamp) }
        if let datatype { writer.varintField(4, UInt64(datatype)) }
        if isHistorical { writer.varintField(5, 1) }
        if isTransient { writer.varintField(6, 1) }
        if isNull { writer.varintField(7, 1) }
        if let properties { writer.messageField(9) { properties.write(to: &$0) } }
        if let value { value.write(to: &writer, fieldOffset: 0) }
    }
}

extension SparkplugPropertySet {
    func write(to writer: inout ProtobufWriter) {
        for key in keys { writer.stringField(1, key) }
        for value in values { writer.messageField(2) { value.write(to: &$0) } }
    }
}

extension SparkplugPropertyValue {
    func write(to writer: inout ProtobufWriter) {
        if let type { writer.varintField(1, UInt64(type)) }
        switch value {
        case .null: writer.varintField(2, 1)
        case .propertySet(let set): writer.messageField(9) { set.write(to: &$0) }
        case .propertySetList(let sets):
            writer.messageField(10) { list in for set in sets { list.messageField(1) { set.write(to: &$0) } } }
        default:
            let declared = type.flatMap(SparkplugDataType.init(rawValue:)) ?? .unknown
            // Property values use the metric's value fields shifted by 7 (int_value 3 … string_value 8).
            SparkplugWireValue(value, as: declared)?.write(to: &writer, fieldOffset: -7)
        }
    }
}

extension SparkplugWireValue {
    /// The wire field of a typed value (`nil` for values that have none: null, sets, unsupported).
    public init?(_ value: SparkplugValue, as type: SparkplugDataType) {
        switch value {
        case .int(let number):
            switch type {
            case .int8, .int16, .int32: self = .intValue(UInt32(truncatingIfNeeded: number))
            default: self = .longValue(UInt64(bitPattern: number))
            }
        case .uint(let number):
            switch type {
            case .uint8, .uint16, .uint32, .int8, .int16, .int32: self = .intValue(UInt32(truncatingIfNeeded: number))
            default: self = .longValue(number)
            }
        case .float(let number): self = .floatValue(number)
        case .double(let number): self = .doubleValue(number)
        case .bool(let flag): self = .booleanValue(flag)
        case .string(let text): self = .stringValue(text)
        case .bytes(let bytes): self = .bytesValue(bytes)
        case .array(let elements): self = .bytesValue(Self.pack(elements, type))
        case .null, .propertySet, .propertySetList, .unsupported: return nil
        }
    }

    func write(to writer: inout ProtobufWriter, fieldOffset: Int) {
        func field(_ number: Int) -> UInt64 { UInt64(number + fieldOffset) }
        switch self {
        case .intValue(let value): writer.varintField(field(10), UInt64(value))
        case .longValue(let value): writer.varintField(field(11), value)
        case .floatValue(let value): writer.fixed32Field(field(12), value.bitPattern)
        case .doubleValue(let value): writer.fixed64Field(field(13), value.bitPattern)
        case .booleanValue(let value): writer.varintField(field(14), value ? 1 : 0)
        case .stringValue(let value): writer.stringField(field(15), value)
        case .bytesValue(let value): writer.bytesField(field(16), value)
        case .message(let number, let bytes): writer.bytesField(UInt64(Int(number) + fieldOffset), bytes)
        }
    }

    /// Packs array elements little-endian (strings zero-terminated).
    static func pack(_ elements: [SparkplugValue], _ type: SparkplugDataType) -> [UInt8] {
        var bytes: [UInt8] = []
        let width: Int =
            switch type {
            case .int8Array, .uint8Array: 1
            case .int16Array, .uint16Array: 2
            case .int32Array, .uint32Array, .floatArray: 4
            default: 8
            }
        for element in elements {
            let raw: UInt64
            switch element {
            case .string(let text):
                bytes += Array(text.utf8) + [0]
                continue
            case .int(let value): raw = UInt64(bitPattern: value)
            case .uint(let value): raw = value
            case .float(let value): raw = UInt64(value.bitPattern)
            case .double(let value): raw = value.bitPattern
            default: raw = 0
            }
            for byte in 0..<width { bytes.append(UInt8(truncatingIfNeeded: raw >> (8 * UInt64(byte)))) }
        }
        return bytes
    }
}
