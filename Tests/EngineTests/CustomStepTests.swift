import PlantStream
import PlantStreamTesting
import Testing

/// A user step, built only on the `PlantStream` library product.
final class MinimumYield: CustomStep {
    let yield: CustomStepField
    let minimum: ExactDecimal

    init(_ context: CustomStepContext) throws {
        yield = try context.field(context.options["field"] ?? "data.yield.value")
        minimum = try ExactDecimal(parsing: context.options["minimum"] ?? "0")
    }

    func process(_ record: CustomStepRecord) -> CustomStepDecision {
        switch record.value(yield) {
        case .number(let value): return value >= minimum ? .keep : .drop
        case .string(let text):
            guard let value = try? ExactDecimal(parsing: text) else { break }
            return value >= minimum ? .keep : .drop
        default: break
        }
        return .deadLetter(code: "YIELD_MISSING", message: "\(yield.path) is not a number")
    }
}

@Suite struct CustomStepTests {
    static let definition = StepDefinition(
        spec: StepSpec(
            name: "minimumYield", summary: "Drop reports below a minimum yield.",
            options: [
                OptionSpec("field", .path, "Path of the yield."),
                OptionSpec("minimum", .string, required: true, "Smallest yield kept."),
            ]),
        factory: { try MinimumYield($0) })

    static let yaml = """
        application: plantstream
        plantCalendar: { table: posting_calendar }
        regions:
          - { name: eu-central, bootstrapServers: "127.0.0.1:9092" }
        sources:
          - { name: production, topic: mfg.production.v1, partitions: 4, key: [plantId, data.orderId] }
        tables:
          - { name: posting_calendar, file: posting_calendar.yaml, key: [plantId] }
        outputs:
          - { name: reports, topic: mfg.reports.v1, kind: table }
          - { name: dlq, topic: mfg.dlq.v1, kind: dead_letter }
        pipelines:
          - name: big-reports
            source: production
            types: [operation.reported]
            deadLetter: dlq
            steps:
              - validate: {}
              - minimumYield: { field: data.yield.value, minimum: "10" }
              - map:
                  plantId: plantId
                  orderId: data.orderId
                  yield: data.yield.value
              - emit: { output: reports, key: [plantId, orderId], header: none }
        """

    @Test func aUserStepRunsInAPipelineLoadedFromYAML() throws {
        let driver = try TopologyTestDriver(
            yaml: Self.yaml, schemasDirectory: TestPaths.schemas, tables: ["posting_calendar": Fixtures.calendarRows],
            customSteps: StepRegistry([Self.definition]), customStepSpecs: [Self.definition.spec])
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:00:00Z", yield: "12"))
        try driver.send(Events.operation(id: 2, at: "2026-04-14T10:01:00Z", yield: "3"))
        let rows = driver.records(output: "reports")
        #expect(rows.map(\.valueString) == [#"{"plantId":"DE01","orderId":"1000123","yield":"12"}"#])
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.filtered == 1)
    }

    @Test func unknownCustomStepIsAConfigurationError() throws {
        #expect(throws: EngineError.self) {
            try TopologyTestDriver(
                yaml: Self.yaml, schemasDirectory: TestPaths.schemas,
                tables: ["posting_calendar": Fixtures.calendarRows], customSteps: StepRegistry(),
                customStepSpecs: [Self.definition.spec])
        }
    }
}
