import Engine
import JSON
import PlantStreamTesting
import Testing
import Topology

/// A topic the broker refuses records for (the runtime learns it from failed deliveries) never stops the
/// processor: its records become `OUTPUT_REFUSED` dead letters that keep the whole record for a replay.
@Suite struct OutputRefusedTests {
    func driver() throws -> TopologyTestDriver {
        try Fixtures.driver(
            Fixtures.topology(
                pipelines: [OneToOneStepTests.receipts([])], extraTables: [OneToOneStepTests.materialMaster]),
            tables: ["material_master": OneToOneStepTests.materials])
    }

    @Test func recordsForARefusedTopicBecomeDeadLettersThatKeepThem() throws {
        let reference = try driver()
        try reference.send(OneToOneStepTests.produced(id: 1))
        let expected = try #require(reference.records(output: "erp").first)

        let driver = try driver()
        let erp = try #require(driver.engine.destinations.first { $0.name == "erp" })
        #expect(driver.engine.outputRefusals.isEmpty)
        driver.engine.outputRefusals.refuse(erp, reason: "Broker: Topic authorization failed")
        let offset = try driver.send(OneToOneStepTests.produced(id: 1))
        #expect(driver.records(output: "erp").isEmpty)
        let letters = driver.records(output: "dlq")
        try #require(letters.count == 1)
        let letter = letters[0]
        #expect(letter.header("ps_error_code") == "OUTPUT_REFUSED")
        #expect(letter.header("ps_original_topic") == "erp.txn.v1")
        #expect(letter.header("ps_source_offset") == String(offset))
        let message = try #require(letter.header("ps_error_message"))
        #expect(message.contains("the broker refuses records for erp.txn.v1 (Broker: Topic authorization failed)"))
        #expect(message.contains("plantstream dlq replay --to-topic erp.txn.v1"))
        // The record is kept whole: key and value as the output would have had them.
        #expect(letter.key == expected.key)
        #expect(letter.value == expected.value)
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.deadLettersByCode["OUTPUT_REFUSED"] == 1)
    }

    @Test func otherOutputsAreWrittenAsBefore() throws {
        let driver = try driver()
        let erp = try #require(driver.engine.destinations.first { $0.name == "erp" })
        driver.engine.outputRefusals.refuse(erp, reason: "Broker: Topic authorization failed")
        // A schema-invalid event still goes to the dead-letter topic with its own reason.
        try driver.pipe(topic: Fixtures.productionTopic, key: "DE01|1", value: Array(#"{"type":"x"}"#.utf8))
        let letters = driver.records(output: "dlq")
        try #require(letters.count == 1)
        #expect(letters[0].header("ps_error_code") != "OUTPUT_REFUSED")
    }
}
