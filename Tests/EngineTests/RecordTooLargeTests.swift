import Crypto
import Engine
import JSON
import PlantStreamTesting
import Testing
import Topology

/// No record the engine writes can be one the producer refuses: an output, dead letter or exception larger
/// than `message.max.bytes` becomes a `RECORD_TOO_LARGE` dead letter that says why and keeps what fits.
@Suite struct RecordTooLargeTests {
    func driver(maxRecordBytes: Int) throws -> TopologyTestDriver {
        try Fixtures.driver(
            Fixtures.topology(
                pipelines: [OneToOneStepTests.receipts([])], extraTables: [OneToOneStepTests.materialMaster]),
            tables: ["material_master": OneToOneStepTests.materials], maxRecordBytes: maxRecordBytes)
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    @Test func anOutputTooLargeBecomesADeadLetterThatSaysWhy() throws {
        let driver = try driver(maxRecordBytes: 700)
        let offset = try driver.send(OneToOneStepTests.produced(id: 1))
        #expect(driver.records(output: "erp").isEmpty)
        let letters = driver.records(output: "dlq")
        try #require(letters.count == 1)
        let letter = letters[0]
        #expect(letter.header("ps_error_code") == "RECORD_TOO_LARGE")
        #expect(letter.header("ps_original_topic") == "erp.txn.v1")
        let size = try #require(letter.header("ps_original_size").flatMap { Int($0) })
        #expect(size > 700 - 128)
        #expect(letter.header("ps_source_topic") == Fixtures.productionTopic)
        #expect(letter.header("ps_source_offset") == String(offset))
        #expect(letter.header("ps_pipeline") == "goods-receipts")
        #expect(letter.header("ps_error_message")?.contains("the output record for erp.txn.v1 is") == true)
        // What fits of the original: a prefix of the receipt that would have been written.
        let kept = try #require(letter.value)
        #expect(!kept.isEmpty && kept.count < size)
        #expect(String(decoding: kept, as: UTF8.self).hasPrefix(#"{"schemaVersion":1"#))
        // The whole record stays within the limit (key, value, headers and overhead).
        let headerBytes = letter.headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) + 8 }
        #expect(128 + (letter.key?.count ?? 0) + kept.count + headerBytes <= 700)
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.deadLettersByCode["RECORD_TOO_LARGE"] == 1)
    }

    @Test func aDeadLetterTooLargeKeepsItsReasonAndTheOriginalDigest() throws {
        let driver = try driver(maxRecordBytes: 4096)
        // A schema-invalid event of 20 KB: its dead letter (the original bytes + headers) does not fit.
        var event = OneToOneStepTests.produced(id: 2)
        if case .object(var object) = event {
            object.members.append(.init(key: "padding", value: .string(String(repeating: "x", count: 20_000))))
            object.members.removeAll { $0.key == "data" }
            event = .object(object)
        }
        let original = Array(Events.text(event).utf8)
        try driver.pipe(topic: Fixtures.productionTopic, key: "DE01|1000123", value: original)
        let letters = driver.records(output: "dlq")
        try #require(letters.count == 1)
        let letter = letters[0]
        #expect(letter.header("ps_error_code") == "RECORD_TOO_LARGE")
        #expect(letter.header("ps_original_error_code") == "SCHEMA_VIOLATION")
        #expect(letter.header("ps_error_message")?.contains("original reason SCHEMA_VIOLATION") == true)
        #expect(letter.header("ps_original_size") == String(original.count))
        #expect(letter.header("ps_original_sha256") == Self.sha256(original))
        #expect(letter.header("ps_original_topic") == "mfg.dlq.v1")
        #expect(letter.header("ps_source_offset") == "0")
        let kept = try #require(letter.value)
        #expect(Array(original.prefix(kept.count)) == kept)
        #expect(kept.count > 1000)
    }

    @Test func aRecordOverMaxBytesIsADeadLetterEvenWhenItsDeadLetterMustBeCut() throws {
        let driver = try driver(maxRecordBytes: 2000)
        let huge = [UInt8](repeating: 0x41, count: 2 << 20)  // 2 MiB, over validate's maxBytes
        try driver.pipe(topic: Fixtures.productionTopic, key: "DE01|1000123", value: huge)
        try driver.send(OneToOneStepTests.produced(id: 3))  // processing continues
        let letters = driver.records(output: "dlq")
        try #require(letters.count == 1)
        #expect(letters[0].header("ps_error_code") == "RECORD_TOO_LARGE")
        #expect(letters[0].header("ps_original_error_code") == "RECORD_TOO_LARGE")
        #expect(letters[0].header("ps_original_size") == String(huge.count))
        #expect((letters[0].value?.count ?? 0) < 2000)
        #expect(driver.records(output: "erp").count == 1)
    }
}
