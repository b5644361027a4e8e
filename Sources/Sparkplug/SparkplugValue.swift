/// A metric's or property's value as its datatype defines it.
public indirect enum SparkplugValue: Sendable, Hashable {
    /// `is_null`, or no value field.
    case null
    /// Int8 … Int64 and DateTime (epoch milliseconds).
    case int(Int64)
    /// UInt8 … UInt64.
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case bool(Bool)
    /// String, Text and UUID.
    case string(String)
    /// Bytes and File.
    case bytes([UInt8])
    /// The array datatypes (decoded from their packed little-endian bytes).
    case array([SparkplugValue])
    /// A property's nested property set.
    case propertySet(SparkplugPropertySet)
    /// A property's list of property sets.
    case propertySetList([SparkplugPropertySet])
    /// A value this decoder does not read (DataSet, Template, BooleanArray, extensions): why.
    case unsupported(String)
}

/// The value field a metric or property carried on the wire, before its datatype is applied (DATA messages
/// often carry only an alias and this; the datatype comes from the BIRTH).
public enum SparkplugWireValue: Sendable, Hashable {
    case intValue(UInt32)
    case longValue(UInt64)
    case floatValue(Float)
    case doubleValue(Double)
    case booleanValue(Bool)
    case stringValue(String)
    case bytesValue([UInt8])
    /// DataSet, Template, a nested property set or an extension: kept as its field number.
    case message(field: UInt64, bytes: [UInt8])

    /// The value read as `type`.
    ///
    /// - Throws: ``SparkplugDecodingError`` when the field does not fit the datatype.
    public func value(as type: SparkplugDataType) throws(SparkplugDecodingError) -> SparkplugValue {
        func mismatch() -> SparkplugDecodingError {
            SparkplugDecodingError(offset: -1, "a \(type) value cannot be in \(fieldName)")
        }
        /// The integer fields (`int_value` or `long_value`), as the bits of 64.
        func integer() throws(SparkplugDecodingError) -> UInt64 {
            switch self {
            case .intValue(let value): UInt64(value)
            case .longValue(let value): value
            default: throw mismatch()
            }
        }
        switch type {
        case .int8, .int16, .int32, .int64, .dateTime:
            let raw = try integer()
            switch type {
            case .int8: return .int(Int64(Int8(truncatingIfNeeded: raw)))
            case .int16: return .int(Int64(Int16(truncatingIfNeeded: raw)))
            case .int32: return .int(Int64(Int32(truncatingIfNeeded: raw)))
            default: return .int(Int64(bitPattern: raw))
            }
        case .uint8, .uint16, .uint32, .uint64:
            let raw = try integer()
            switch type {
            case .uint8: return .uint(UInt64(UInt8(truncatingIfNeeded: raw)))
            case .uint16: return .uint(UInt64(UInt16(truncatingIfNeeded: raw)))
            case .uint32: return .uint(UInt64(UInt32(truncatingIfNeeded: raw)))
            default: return .uint(raw)
            }
        case .float:
            guard case .floatValue(let value) = self else { throw mismatch() }
            return .float(value)
        case .double:
            switch self {
            case .doubleValue(let value): return .double(value)
            case .floatValue(let value): return .double(Double(value))
            default: throw mismatch()
            }
        case .boolean:
            guard case .booleanValue(let value) = self else { throw mismatch() }
            return .bool(value)
        case .string, .text, .uuid:
            guard case .stringValue(let value) = self else { throw mismatch() }
            return .string(value)
        case .bytes, .file:
            guard case .bytesValue(let value) = self else { throw mismatch() }
            return .bytes(value)
        case .int8Array, .int16Array, .int32Array, .int64Array, .uint8Array, .uint16Array, .uint32Array,
            .uint64Array, .floatArray, .doubleArray, .dateTimeArray, .stringArray:
            guard case .bytesValue(let value) = self else { throw mismatch() }
            return try Self.array(value, type)
        case .booleanArray, .dataSet, .template, .propertySet, .propertySetList, .unknown:
            return .unsupported("\(type) values are not decoded")
        }
    }

    private var fieldName: String {
        switch self {
        case .intValue: "int_value"
        case .longValue: "long_value"
        case .floatValue: "float_value"
        case .doubleValue: "double_value"
        case .booleanValue: "boolean_value"
        case .stringValue: "string_value"
        case .bytesValue: "bytes_value"
        case .message(let field, _): "field \(field)"
        }
    }

    /// An array datatype's packed little-endian elements (strings: each terminated by a zero byte).
    static func array(_ bytes: [UInt8], _ type: SparkplugDataType) throws(SparkplugDecodingError) -> SparkplugValue {
        if type == .stringArray {
            var elements: [SparkplugValue] = []
            var start = 0
            for index in bytes.indices where bytes[index] == 0 {
                guard let text = String(validating: bytes[start..<index], as: UTF8.self) else {
                    throw SparkplugDecodingError(offset: -1, "a StringArray element is not UTF-8")
                }
                elements.append(.string(text))
                start = index + 1
            }
            guard start == bytes.count else {
                throw SparkplugDecodingError(offset: -1, "a StringArray's last element has no terminating zero byte")
            }
            return .array(elements)
        }
        let width: Int =
            switch type {
            case .int8Array, .uint8Array: 1
            case .int16Array, .uint16Array: 2
            case .int32Array, .uint32Array, .floatArray: 4
            default: 8
            }
        guard bytes.count % width == 0 else {
            throw SparkplugDecodingError(offset: -1, "\(bytes.count) bytes are not a whole number of \(type) elements")
        }
        var elements: [SparkplugValue] = []
        elements.reserveCapacity(bytes.count / width)
        var index = 0
        while index < bytes.count {
            var raw: UInt64 = 0
            for byte in 0..<width { raw |= UInt64(bytes[index + byte]) << (8 * UInt64(byte)) }
            index += width
            switch type {
            case .int8Array: elements.append(.int(Int64(Int8(truncatingIfNeeded: raw))))
            case .int16Array: elements.append(.int(Int64(Int16(truncatingIfNeeded: raw))))
            case .int32Array: elements.append(.int(Int64(Int32(truncatingIfNeeded: raw))))
            case .int64Array, .dateTimeArray: elements.append(.int(Int64(bitPattern: raw)))
            case .floatArray: elements.append(.float(Float(bitPattern: UInt32(truncatingIfNeeded: raw))))
            case .doubleArray: elements.append(.double(Double(bitPattern: raw)))
            default: elements.append(.uint(raw))
            }
        }
        return .array(elements)
    }
}
