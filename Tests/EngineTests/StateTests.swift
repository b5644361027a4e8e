import JSON
import Testing

@testable import Engine

@Suite struct ByteKeyMapTests {
    @Test func insertsLooksUpAndRemovesManyKeys() {
        var map = ByteKeyMap<Int>()
        for value in 0..<10_000 { map.insert(Array("key-\(value)".utf8), value: value) }
        #expect(map.count == 10_000)
        for value in stride(from: 0, to: 10_000, by: 7) {
            let index = map.index(of: Array("key-\(value)".utf8))
            #expect(index.map { map[$0] } == value)
        }
        for value in stride(from: 0, to: 10_000, by: 2) { map.remove(at: map.index(of: Array("key-\(value)".utf8))!) }
        #expect(map.count == 5000)
        #expect(map.index(of: Array("key-2".utf8)) == nil)
        #expect(map.index(of: Array("key-3".utf8)).map { map[$0] } == 3)
        // Freed entry indexes are reused.
        let reused = map.insert(Array("fresh".utf8), value: -1)
        #expect(reused < 10_000)
        #expect(map.index(of: Array("fresh".utf8)) == reused)
    }

    @Test func emptyAndBinaryKeys() {
        var map = ByteKeyMap<String>()
        map.insert([], value: "empty")
        map.insert([0, 0, 0xFF], value: "binary")
        #expect(map.index(of: []).map { map[$0] } == "empty")
        #expect(map.index(of: [0, 0, 0xFF]).map { map[$0] } == "binary")
        #expect(map.index(of: [0, 0]) == nil)
    }
}

@Suite struct StateCodecTests {
    @Test(arguments: [Int64(0), 1, -1, 63, -64, 64, 1 << 40, Int64.max, Int64.min])
    func varintsRoundTrip(value: Int64) throws {
        var writer = StateWriter()
        writer.write(value)
        writer.write(bigEndian: value)
        let bytes = writer.bytes
        let decoded = try bytes.withUnsafeBytes { (buffer) throws -> (Int64, Int64, Bool) in
            var reader = StateReader(buffer)
            return (try reader.readInt64(), try reader.readBigEndian(), reader.isAtEnd)
        }
        #expect(decoded.0 == value)
        #expect(decoded.1 == value)
        #expect(decoded.2)
    }

    @Test func bigEndianKeysSortLikeIntegers() {
        func key(_ value: Int64) -> [UInt8] {
            var writer = StateWriter()
            writer.write(bigEndian: value)
            return writer.bytes
        }
        let values: [Int64] = [-5_000, -1, 0, 1, 1_774_746_000_000]
        for (a, b) in zip(values, values.dropFirst()) { #expect(key(a).lexicographicallyPrecedes(key(b))) }
    }

    @Test func truncatedInputIsCorruptStateNotACrash() {
        let bytes: [UInt8] = [0x80, 0x80]
        bytes.withUnsafeBytes { buffer in
            var reader = StateReader(buffer)
            #expect(throws: EngineError.self) { try reader.readInt64() }
        }
    }

    @Test func windowStateRoundTrips() throws {
        var state = WindowState(
            bounds: WindowBounds(start: 1000, end: 901_000), groupValues: [.text(Array("DE01".utf8)), .null],
            aggregateCount: 3)
        state.aggregates = [.decimal(try ExactDecimal(parsing: "12.345")), .text(Array("H87".utf8)), .bool(true)]
        state.times = [0, 5, 7]
        state.count = 3
        state.revision = 2
        state.closed = true
        state.sources.add(UnsafeRawBufferPointer(start: nil, count: 0))
        state.fromOffset = 10
        state.toOffset = 12
        state.maxEventTime = 900_000
        state.correlationId = Array("1000123".utf8)
        var writer = StateWriter()
        state.encode(into: &writer)
        let decoded = try writer.bytes.withUnsafeBytes { (buffer) throws -> WindowState in
            var reader = StateReader(buffer)
            return try WindowState.decode(from: &reader)
        }
        #expect(decoded.bounds == state.bounds)
        #expect(decoded.closed && decoded.revision == 2 && decoded.count == 3)
        #expect(decoded.aggregates[0].value.decimal == (try ExactDecimal(parsing: "12.345")))
        #expect(decoded.aggregates[1].value.string == "H87")
        #expect(decoded.aggregates[2].value.boolean == true)
        #expect(decoded.times == [0, 5, 7])
        #expect(decoded.sources == state.sources)
        #expect(decoded.correlationId == state.correlationId)
        #expect(decoded.groupValues[1].value.isNull)
    }
}

@Suite struct SourceSetTests {
    func ids(_ values: [String]) -> SourceSet {
        var set = SourceSet()
        for id in values { Array(id.utf8).withUnsafeBytes { set.add($0) } }
        return set
    }

    @Test func singleDigestIsSHA256OfTheId() {
        #expect(
            ids(["01958f3a-6c1e-7b2a-9d4e-3f5a6b7c8d01"]).digestHex
                == "e86fcad72b7e9d6a9e97d20161d601d16d9b258a4de5abdac1fe4608614f8fda")
    }

    @Test func digestIsTheSumModulo2To256AndOrderIndependent() {
        #expect(ids(["a", "b"]).digestHex == "08bb6928ca5517152e4b8118ff058d82334469f89d507abd84f46634858a4958")
        #expect(ids(["b", "a"]).digestHex == ids(["a", "b"]).digestHex)
        let many = (0..<100).map { "event-\($0)" }
        #expect(ids(many).digestHex == ids(many.reversed()).digestHex)
        var merged = ids(Array(many[..<40]))
        merged.merge(ids(Array(many[40...])))
        #expect(merged.digestHex == ids(many).digestHex)
        #expect(merged.count == 100)
    }

    @Test func listsAtMost500Ids() {
        let set = ids((0..<750).map { "id-\($0)" })
        #expect(set.count == 750)
        #expect(set.eventIds.count == 500)
        #expect(set.eventIds.first == "id-0")
        #expect(set.eventIds.last == "id-499")
    }
}

@Suite struct UUIDv5Tests {
    @Test(arguments: [
        ("python.org", "7af94e2b-4dd9-50f0-9c9a-8a48519bdef0"),
        ("CONF|DE01|1000123|0|0010|2026-03-29T01:00:00Z|900|0", "d46f6ed2-665a-5839-8053-866e242c6c78"),
    ])
    func matchesRFC9562WithTheURLNamespace(name: String, expected: String) {
        #expect(UUIDv5.string(name: name) == expected)
    }
}
