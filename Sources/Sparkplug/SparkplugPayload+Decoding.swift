extension SparkplugPayload {
    /// Decodes a payload's protobuf bytes; unknown fields are skipped, as protobuf readers do.
    ///
    /// - Throws: ``SparkplugDecodingError`` with the byte offset when the bytes are not a `Payload` message.
    public init(decoding bytes: UnsafeRawBufferPointer) throws(SparkplugDecodingError) {
        self.init()
        var reader = ProtobufReader(bytes)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch field {
            case 1:
                try reader.expect(wireType, .varint, field: "timestamp")
                timestamp = try reader.readVarint()
            case 2:
                try reader.expect(wireType, .lengthDelimited, field: "metrics")
                var nested = try reader.readMessage()
                metrics.append(try SparkplugMetric(reading: &nested))
            case 3:
                try reader.expect(wireType, .varint, field: "seq")
                seq = try reader.readVarint()
            case 4:
                try reader.expect(wireType, .lengthDelimited, field: "uuid")
                uuid = try reader.readString()
            case 5:
                try reader.expect(wireType, .lengthDelimited, field: "body")
                body = Array(try reader.readLengthDelimited().bytes)
            default:
                try reader.skip(wireType)
            }
        }
    }

    /// Decodes a payload held in an array.
    public init(decoding bytes: [UInt8]) throws(SparkplugDecodingError) {
        var result: Result<SparkplugPayload, SparkplugDecodingError> = .success(SparkplugPayload())
        bytes.withUnsafeBytes { buffer in
            do throws(SparkplugDecodingError) {
                result = .success(try SparkplugPayload(decoding: buffer))
            } catch {
                result = .failure(error)
            }
        }
        self = try result.get()
    }
}

extension SparkplugMetric {
    init(reading reader: inout ProtobufReader) throws(SparkplugDecodingError) {
        self.init()
        isNull = false
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch field {
            case 1:
                try reader.expect(wireType, .lengthDelimited, field: "metric name")
                name = try reader.readString()
            case 2:
                try reader.expect(wireType, .varint, field: "alias")
                alias = try reader.readVarint()
            case 3:
                try reader.expect(wireType, .varint, field: "metric timestamp")
                timestamp = try reader.readVarint()
            case 4:
                try reader.expect(wireType, .varint, field: "datatype")
                datatype = UInt32(truncatingIfNeeded: try reader.readVarint())
            case 5: isHistorical = try reader.readBool()
            case 6: isTransient = try reader.readBool()
            case 7: isNull = try reader.readBool()
            case 9:
                try reader.expect(wireType, .lengthDelimited, field: "properties")
                var nested = try reader.readMessage()
                properties = try SparkplugPropertySet(reading: &nested, depth: 0)
            case 10...19:
                value = try SparkplugWireValue(field: field, wireType: wireType, reader: &reader)
            default:
                try reader.skip(wireType)
            }
        }
    }
}

extension SparkplugWireValue {
    /// Reads the value field `field` (10 … 19 of `Metric`; property values use 3 … 11, shifted by the caller).
    init(field: UInt64, wireType: ProtobufReader.WireType, reader: inout ProtobufReader)
        throws(SparkplugDecodingError)
    {
        switch field {
        case 10:
            try reader.expect(wireType, .varint, field: "int_value")
            self = .intValue(UInt32(truncatingIfNeeded: try reader.readVarint()))
        case 11:
            try reader.expect(wireType, .varint, field: "long_value")
            self = .longValue(try reader.readVarint())
        case 12:
            try reader.expect(wireType, .fixed32, field: "float_value")
            self = .floatValue(Float(bitPattern: try reader.readFixed32()))
        case 13:
            try reader.expect(wireType, .fixed64, field: "double_value")
            self = .doubleValue(Double(bitPattern: try reader.readFixed64()))
        case 14:
            try reader.expect(wireType, .varint, field: "boolean_value")
            self = .booleanValue(try reader.readBool())
        case 15:
            try reader.expect(wireType, .lengthDelimited, field: "string_value")
            self = .stringValue(try reader.readString())
        case 16:
            try reader.expect(wireType, .lengthDelimited, field: "bytes_value")
            self = .bytesValue(Array(try reader.readLengthDelimited().bytes))
        default:
            try reader.expect(wireType, .lengthDelimited, field: "value field \(field)")
            self = .message(field: field, bytes: Array(try reader.readLengthDelimited().bytes))
        }
    }
}

extension SparkplugPropertySet {
    /// Property sets nest (a property's value may be a set); deeper than this is refused.
    static let maximumDepth = 16

    init(reading reader: inout ProtobufReader, depth: Int) throws(SparkplugDecodingError) {
        guard depth < Self.maximumDepth else {
            throw SparkplugDecodingError(
                offset: reader.offset, "property sets nested deeper than \(Self.maximumDepth)")
        }
        self.init()
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch field {
            case 1:
                try reader.expect(wireType, .lengthDelimited, field: "property key")
                keys.append(try reader.readString())
            case 2:
                try reader.expect(wireType, .lengthDelimited, field: "property value")
                var nested = try reader.readMessage()
                values.append(try SparkplugPropertyValue(reading: &nested, depth: depth))
            default:
                try reader.skip(wireType)
            }
        }
        guard keys.count == values.count else {
            throw SparkplugDecodingError(
                offset: reader.offset, "a property set has \(keys.count) keys but \(values.count) values")
        }
    }
}

extension SparkplugPropertyValue {
    init(reading reader: inout ProtobufReader, depth: Int) throws(SparkplugDecodingError) {
        self.init(type: nil, value: .null)
        var wire: SparkplugWireValue?
        var isNull = false
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch field {
            case 1:
                try reader.expect(wireType, .varint, field: "property type")
                type = UInt32(truncatingIfNeeded: try reader.readVarint())
            case 2: isNull = try reader.readBool()
            case 3...8:
                // int, long, float, double, boolean, string: the metric's value fields 10 … 15.
                wire = try SparkplugWireValue(field: field + 7, wireType: wireType, reader: &reader)
            case 9:
                try reader.expect(wireType, .lengthDelimited, field: "propertyset_value")
                var nested = try reader.readMessage()
                value = .propertySet(try SparkplugPropertySet(reading: &nested, depth: depth + 1))
            case 10:
                try reader.expect(wireType, .lengthDelimited, field: "propertysets_value")
                var list = try reader.readMessage()
                var sets: [SparkplugPropertySet] = []
                while !list.isAtEnd {
                    let (inner, innerType) = try list.readKey()
                    guard inner == 1 else {
                        try list.skip(innerType)
                        continue
                    }
                    try list.expect(innerType, .lengthDelimited, field: "propertyset")
                    var nested = try list.readMessage()
                    sets.append(try SparkplugPropertySet(reading: &nested, depth: depth + 1))
                }
                value = .propertySetList(sets)
            default:
                try reader.skip(wireType)
            }
        }
        if isNull {
            value = .null
        } else if let wire {
            // Properties are descriptive: a value that does not fit its declared type is read by its field's own.
            if let declared = type.flatMap(SparkplugDataType.init(rawValue:)),
                let typed = try? wire.value(as: declared)
            {
                if case .unsupported = typed {
                    value = try wire.value(as: wire.naturalType)
                } else {
                    value = typed
                }
            } else {
                value = try wire.value(as: wire.naturalType)
            }
        }
    }
}

extension SparkplugWireValue {
    /// The datatype a value field implies when none is declared.
    var naturalType: SparkplugDataType {
        switch self {
        case .intValue: .uint32
        case .longValue: .uint64
        case .floatValue: .float
        case .doubleValue: .double
        case .booleanValue: .boolean
        case .stringValue: .string
        case .bytesValue: .bytes
        case .message: .unknown
        }
    }
}
