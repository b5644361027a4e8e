import Engine
import JSON
import PlantStreamTesting
import Testing
import Topology

/// An aggregate that stops fitting 38 digits does not silently keep its old sum: the window's emission becomes a
/// `DECIMAL_OVERFLOW` dead letter of the window result.
@Suite struct WindowOverflowTests {
    @Test func anOverflowingSumDeadLettersTheWindowResult() throws {
        var window = Fixtures.confirmationWindow()
        // 999,999,999,999,999 × 10²³ fits 38 digits; two of them do not.
        window.aggregates[0].argument = X.op(
            .multiply, X.path("data.yield.value"), X.number("100000000000000000000000"))
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Fixtures.confirmations(window)]))
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:01:00Z", yield: "999999999999999"))
        try driver.send(Events.operation(id: 2, at: "2026-04-14T10:02:00Z", yield: "999999999999999"))
        #expect(driver.records(output: "dlq").isEmpty, "the records themselves are fine")
        try driver.send(Events.operation(id: 3, at: "2026-04-14T10:16:00Z", yield: "1"))  // closes 10:00–10:15
        #expect(driver.records(output: "erp").isEmpty)
        let letters = driver.records(output: "dlq")
        try #require(letters.count == 1)
        #expect(letters[0].header("ps_error_code") == "DECIMAL_OVERFLOW")
        #expect(letters[0].header("ps_error_path") == "/yield")
        #expect(letters[0].header("ps_source_offset") == "0-1")
        #expect(letters[0].string("window.start") == "2026-04-14T10:00:00.000Z")
        #expect(letters[0].header("ps_error_message")?.contains("sum() of yield exceeds 38 digits") == true)
    }
}
