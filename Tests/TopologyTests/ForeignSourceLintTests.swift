import Testing

@testable import Topology

/// The lint of sources of foreign records (`envelope: none`): each mistake where it was written.
@Suite struct ForeignSourceLintTests {
    static let text = """
        application: plantstream
        regions:
          - { name: eu, bootstrapServers: "127.0.0.1:9092" }
        sources:
          - name: line-controllers
            topic: linectl.cycles
            key: [plant, line, work_center]
            envelope: none
            schema: linectl.machine_cycle/v1
            eventTime: event_time
            eventId: { header: x-event-id }
            plant: plant
          - name: production
            topic: mfg.production.v1
            key: [plantId]
        outputs:
          - { name: cycles, topic: plant.cycles.v1 }
          - { name: dlq, topic: plant.dlq.v1, kind: dead_letter }
        pipelines:
          - name: route
            source: line-controllers
            types: [linectl.machine_cycle]
            deadLetter: dlq
            steps:
              - validate: {}
              - emit: { output: cycles, schema: linectl.machine_cycle/v1, header: none }
          - name: totals
            source: line-controllers
            types: [linectl.machine_cycle]
            deadLetter: dlq
            steps:
              - validate: {}
              - filter: "good_qty + scrap_qty > 0"
              - window:
                  tumbling: 60s
                  groupBy: [plant, line, work_center]
                  aggregates: { good: sum(good_qty), scrap: sum(scrap_qty), cycles: count(), last: max(event_time) }
              - map:
                  plant: plant
                  line: line
                  work_center: work_center
                  window_start: window.start
                  window_end: window.end
                  good_qty: good
                  scrap_qty: scrap
                  cycles: cycles
              - emit: { output: cycles, schema: linectl.cycle_totals/v1, key: [plant, line, work_center], header: none }

        """

    static let breakages: [Breakage] = [
        Breakage(
            kind: .missingField, find: "    schema: linectl.machine_cycle/v1\n", replace: "",
            marker: "name: line-controllers", markerFromTop: true),
        Breakage(
            kind: .missingField, find: "    eventTime: event_time\n", replace: "", marker: "name: line-controllers",
            markerFromTop: true),
        Breakage(
            kind: .unknownSchema, find: "schema: linectl.machine_cycle/v1\n",
            replace: "schema: linectl.machine_cycle/v3\n", marker: "linectl.machine_cycle/v3"),
        Breakage(
            kind: .invalidOption, find: "schema: linectl.machine_cycle/v1\n", replace: "schema: linectl\n",
            marker: "linectl\n"),
        Breakage(
            kind: .unknownField, find: "eventId: { header: x-event-id }", replace: "eventId: { heder: x-event-id }",
            marker: "heder"),
        Breakage(
            kind: .invalidOption, find: "    key: [plantId]\n", replace: "    key: [plantId]\n    eventId: id\n",
            marker: "id\n", columnOffset: 0),
        Breakage(
            kind: .invalidOption, find: "types: [linectl.machine_cycle]", replace: "types: [machine.cycle]",
            marker: "[machine.cycle]"),
        Breakage(
            kind: .invalidOption, find: "      - validate: {}", replace: "      - validate: { envelope: plain }",
            marker: "plain"),
        Breakage(
            kind: .missingField, find: "- emit: { output: cycles, schema: linectl.machine_cycle/v1, header: none }",
            replace: "- emit: { output: cycles, schema: linectl.machine_cycle/v1 }", marker: "emit"),
        Breakage(
            kind: .missingField, find: "    plant: plant\n", replace: "",
            marker: "name: line-controllers", markerFromTop: true),
        // Paths and types against the record's own schema.
        Breakage(kind: .unknownRecordField, find: "sum(good_qty)", replace: "sum(good_qtty)", marker: "good_qtty"),
        Breakage(
            kind: .unknownRecordField, find: "eventTime: event_time", replace: "eventTime: event_tim",
            marker: "event_tim"),
        Breakage(
            kind: .unknownRecordField, find: "key: [plant, line, work_center]\n    envelope",
            replace: "key: [plant, line, workcenter]\n    envelope", marker: "workcenter"),
        Breakage(
            kind: .unknownRecordField, find: "groupBy: [plant, line, work_center]",
            replace: "groupBy: [plant, line, work_centre]", marker: "work_centre"),
        Breakage(kind: .typeMismatch, find: "sum(scrap_qty)", replace: "sum(event_id)", marker: "event_id"),
        Breakage(kind: .typeMismatch, find: "sum(scrap_qty)", replace: "sum(event_time)", marker: "event_time"),
        Breakage(
            kind: .typeMismatch, find: "\"good_qty + scrap_qty > 0\"", replace: "\"event_time - good_qty > 0\"",
            marker: "event_time -"),
        Breakage(
            kind: .unsatisfiableOutput, find: "          cycles: cycles\n", replace: "",
            marker: "linectl.cycle_totals/v1", markerFromTop: true),
        Breakage(
            kind: .unknownRecordField, find: "          window_end: window.end\n",
            replace: "          window_end: window.ends\n", marker: "window.ends"),
    ]

    @Test(arguments: breakages)
    func catchesBrokenCopy(_ breakage: Breakage) throws {
        var original = Self.text
        if breakage.replace.isEmpty && breakage.find.contains("plant: plant") {
            // The plant is needed once a region filters plants.
            original = original.replacingOccurrences(
                of: "bootstrapServers: \"127.0.0.1:9092\" }",
                with: "bootstrapServers: \"127.0.0.1:9092\", plants: [P05] }")
        }
        try breakage.expectFinding(in: original)
    }

    @Test func theUnbrokenTopologyIsClean() throws {
        let result = TestSupport.loader().lint(text: Self.text, file: "topology.yaml")
        #expect(result.findings.isEmpty, Comment(rawValue: result.findings.map(\.description).joined(separator: "\n")))
        let source = try #require(result.topology?.sources.first)
        #expect(source.isForeign)
        #expect(source.schema == .fixed("linectl.machine_cycle/v1"))
        #expect(source.eventId == .header("x-event-id"))
        #expect(source.plant == .field(FieldPath(segments: [.member("plant")])))
        #expect(source.sourceSystem == nil)
    }
}
