import Sparkplug
import Testing

@Suite struct SparkplugPayloadTests {
    /// A payload assembled byte by byte from the specification's field numbers, independent of the encoder.
    @Test func decodesHandAssembledBytes() throws {
        let bytes: [UInt8] = [
            0x08, 0x01,  // timestamp = 1
            0x12, 0x0D,  // metrics, 13 bytes:
            0x0A, 0x01, 0x61,  //   name "a"
            0x10, 0x02,  //   alias 2
            0x20, 0x03,  //   datatype Int32
            0x50, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F,  //   int_value 0xFFFFFFFF
            0x12, 0x07,  // metrics, 7 bytes:
            0x10, 0x03,  //   alias 3
            0x65, 0x00, 0x00, 0xC0, 0x3F,  //   float_value 1.5
            0x18, 0x05,  // seq = 5
            0xA0, 0x06, 0x2A,  // unknown field 100 (extension): skipped
        ]
        let payload = try SparkplugPayload(decoding: bytes)
        #expect(payload.timestamp == 1)
        #expect(payload.seq == 5)
        #expect(payload.metrics.count == 2)
        let first = payload.metrics[0]
        #expect(first.name == "a" && first.alias == 2 && first.datatype == 3)
        #expect(try first.value?.value(as: .int32) == .int(-1))
        #expect(try first.value?.value(as: .uint32) == .uint(4_294_967_295))
        #expect(payload.metrics[1].name == nil && payload.metrics[1].alias == 3)
        #expect(try payload.metrics[1].value?.value(as: .float) == .float(1.5))
    }

    @Test func everyScalarTypeRoundTrips() throws {
        let values: [(SparkplugDataType, SparkplugValue)] = [
            (.int8, .int(-128)), (.int16, .int(-300)), (.int32, .int(-70_000)), (.int64, .int(-5_000_000_000)),
            (.uint8, .uint(255)), (.uint16, .uint(65_535)), (.uint32, .uint(4_000_000_000)),
            (.uint64, .uint(UInt64.max)), (.float, .float(-2.25)), (.double, .double(1e-300)),
            (.boolean, .bool(true)), (.string, .string("Läuft ✓")), (.text, .string("")),
            (.uuid, .string("0f8e3c5a-6b4d-4c1e-9a2b-3d4e5f607182")), (.dateTime, .int(1_742_187_600_526)),
            (.bytes, .bytes([0, 1, 254, 255])), (.int16Array, .array([.int(-1), .int(2), .int(-32768)])),
            (.uint64Array, .array([.uint(0), .uint(UInt64.max)])), (.doubleArray, .array([.double(0.5)])),
            (.stringArray, .array([.string("A"), .string(""), .string("Grün")])),
        ]
        let metrics = values.enumerated().map { index, entry in
            SparkplugMetric(
                name: "m\(index)", alias: UInt64(index), timestamp: 1_742_187_600_000 + UInt64(index),
                datatype: entry.0, value: SparkplugWireValue(entry.1, as: entry.0))
        }
        let payload = SparkplugPayload(timestamp: 1_742_187_600_000, metrics: metrics, seq: 255)
        let decoded = try SparkplugPayload(decoding: payload.encoded())
        #expect(decoded == payload)
        for (metric, (type, value)) in zip(decoded.metrics, values) {
            #expect(try metric.value?.value(as: type) == value, "\(type)")
        }
    }

    @Test func propertiesNestAndKeepTheirTypes() throws {
        let inner = SparkplugPropertySet(
            keys: ["low"], values: [SparkplugPropertyValue(type: .double, value: .double(0))])
        let properties = SparkplugPropertySet(
            keys: ["engUnit", "Quality", "limits", "none"],
            values: [
                SparkplugPropertyValue(type: .string, value: .string("PCS")),
                SparkplugPropertyValue(type: .int32, value: .int(192)),
                SparkplugPropertyValue(type: .propertySet, value: .propertySet(inner)),
                SparkplugPropertyValue(type: .string, value: .null),
            ])
        let payload = SparkplugPayload(metrics: [
            SparkplugMetric(name: "Counters/Good", datatype: .int64, value: .longValue(7), properties: properties)
        ])
        let decoded = try SparkplugPayload(decoding: payload.encoded())
        #expect(decoded.metrics[0].properties == properties)
        #expect(decoded.metrics[0].properties?["Quality"]?.value == .int(192))
    }

    @Test func nullMetricsHaveNoValue() throws {
        let payload = SparkplugPayload(metrics: [SparkplugMetric(alias: 4, datatype: .double, value: nil)])
        let decoded = try SparkplugPayload(decoding: payload.encoded())
        #expect(decoded.metrics[0].isNull && decoded.metrics[0].value == nil)
    }

    @Test(arguments: [
        ([0x08] as [UInt8], "byte 1: truncated varint"),
        ([0x12, 0x05, 0x0A], "byte 1: length 5 runs past the end (1 bytes left)"),
        ([0x0D, 0, 0, 0, 0], "timestamp has wire type 5, expected 0"),
        ([0x12, 0x03, 0x0A, 0x01, 0xFF], "byte 3: string field is not UTF-8"),
        ([0x07], "byte 0: invalid field key 7"),
        ([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "byte 1: varint overflows 64 bits"),
        ([0x33], "byte 1: unterminated group"),
    ])
    func malformedBytesSayWhatAndWhere(bytes: [UInt8], expected: String) {
        #expect(throws: SparkplugDecodingError.self) { try SparkplugPayload(decoding: bytes) }
        do {
            _ = try SparkplugPayload(decoding: bytes)
        } catch {
            #expect(error.description.hasSuffix(expected), "\(error)")
        }
    }

    /// Mutated payloads (bytes flipped, cut, inserted) either decode or throw: never a trap.
    @Test func mutatedPayloadsNeverTrap() {
        let seed = SparkplugPayload(
            timestamp: 1,
            metrics: [
                SparkplugMetric(
                    name: "Counters/Good", alias: 1, datatype: .int64, value: .longValue(42),
                    properties: SparkplugPropertySet(
                        keys: ["engUnit"], values: [SparkplugPropertyValue(type: .string, value: .string("PCS"))])),
                SparkplugMetric(alias: 2, datatype: .stringArray, value: .bytesValue([0x41, 0, 0x42, 0])),
            ], seq: 3
        ).encoded()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % 1_000_003)
        }
        var decoded = 0
        for _ in 0..<20_000 {
            var bytes = seed
            for _ in 0...(next() % 4) {
                let position = next() % (bytes.count + 1)
                switch next() % 3 {
                case 0 where position < bytes.count: bytes[position] = UInt8(next() % 256)
                case 1: bytes.insert(UInt8(next() % 256), at: position)
                default: bytes = Array(bytes.prefix(position))
                }
            }
            if let payload = try? SparkplugPayload(decoding: bytes) {
                decoded += 1
                for metric in payload.metrics {
                    for type in SparkplugDataType.allCases { _ = try? metric.value?.value(as: type) }
                }
            }
        }
        #expect(decoded > 0)
    }
}
