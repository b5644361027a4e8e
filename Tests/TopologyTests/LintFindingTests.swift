import Foundation
import Testing

@testable import Topology

/// One broken copy of the default topology: replace `find` by `replace` and expect a finding of `kind` where
/// `marker` is (searched from the replaced text, or from the top of the file).
struct Breakage: Sendable, CustomTestStringConvertible {
    var kind: TopologyFinding.Kind
    var find: String
    var replace: String
    var marker: String
    var markerFromTop = false
    /// Added to the marker's column (to point past a prefix of the marker).
    var columnOffset = 0

    var testDescription: String { "\(kind): \(replace.prefix(60))" }

    /// The broken text and where the finding must be.
    func apply(to text: String) -> (text: String, line: Int, column: Int)? {
        guard let range = text.range(of: find) else { return nil }
        let broken = text.replacingCharacters(in: range, with: replace)
        let searchStart = markerFromTop ? broken.startIndex : range.lowerBound
        guard let marker = broken.range(of: marker, range: searchStart..<broken.endIndex) else { return nil }
        let before = broken[..<marker.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { broken.index(after: $0) } ?? broken.startIndex
        let column = broken[lineStart..<marker.lowerBound].unicodeScalars.count + 1 + columnOffset
        return (broken, line, column)
    }
}

extension Breakage {
    /// Lints `original` broken this way and expects a finding of `kind` at the marker's line and column.
    @discardableResult
    func expectFinding(in original: String) throws -> TopologyLintResult {
        let applied = try #require(apply(to: original), "the mutation does not apply")
        let result = TestSupport.loader().lint(text: applied.text, file: "topology.yaml")
        let matching = result.findings.filter { $0.kind == kind }
        #expect(
            matching.contains { $0.location.line == applied.line && $0.location.column == applied.column },
            Comment(
                rawValue: "expected \(kind) at \(applied.line):\(applied.column); found:\n"
                    + result.findings.map(\.description).joined(separator: "\n")))
        return result
    }
}

@Suite struct LintFindingTests {
    static let breakages: [Breakage] = [
        Breakage(
            kind: .syntax, find: "    partitions: 12\n    key: [plantId, data.orderId]",
            replace: "    partitions: 12\n    key: [plantId, data.orderId", marker: "envelope: auto", columnOffset: 8),
        Breakage(kind: .unknownField, find: "tumbling: 15m", replace: "tumblin: 15m", marker: "tumblin"),
        Breakage(
            kind: .missingField, find: "    bootstrapServers: ${US_BOOTSTRAP_SERVERS:-127.0.0.1:9092}\n", replace: "",
            marker: "name: americas", markerFromTop: true),
        Breakage(kind: .invalidOption, find: "late: post_delta", replace: "late: later", marker: "later"),
        Breakage(kind: .invalidOption, find: "idleTimeout: 5m", replace: "idleTimeout: 5min", marker: "5min"),
        Breakage(
            kind: .invalidOption, find: "commitInterval: 100ms", replace: "commitInterval: fast", marker: "fast"),
        Breakage(kind: .unknownStep, find: "- validate: {}", replace: "- validat: {}", marker: "validat"),
        Breakage(
            kind: .unknownSchema, find: "schema: erp.goods_issue/v1", replace: "schema: erp.goods_issue/v9",
            marker: "erp.goods_issue/v9"),
        Breakage(
            kind: .unknownSchema, find: "types: [material.consumed]", replace: "types: [material.consumd]",
            marker: "material.consumd"),
        Breakage(
            kind: .unknownTable, find: "{ table: order_operations,", replace: "{ table: order_ops,",
            marker: "order_ops"),
        Breakage(
            kind: .unknownTable, find: "lookup('work_center_activities'", replace: "lookup('work_centre_activities'",
            marker: "'work_centre_activities'"),
        Breakage(kind: .unknownOutput, find: "output: erp\n", replace: "output: erpp\n", marker: "erpp"),
        Breakage(
            kind: .unknownSource, find: "source: machine\n    types: [downtime.recorded]",
            replace: "source: machines\n    types: [downtime.recorded]", marker: "machines"),
        Breakage(
            kind: .duplicateName, find: "- name: goods-receipts", replace: "- name: goods-issues",
            marker: "goods-issues"),
        Breakage(
            kind: .duplicateName, find: "plants: [US01]", replace: "plants: [US01, DE01]", marker: "DE01]"),
        Breakage(
            kind: .missingEnvironmentVariable, find: "${EU_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            replace: "broker-1:9092,${EU_BROKERS}", marker: "${EU_BROKERS}"),
        Breakage(
            kind: .partitionKeyMismatch,
            find: "groupBy: [plantId, data.orderId, data.sequenceId, data.operationId]",
            replace: "groupBy: [plantId, data.sequenceId, data.operationId]", marker: "[plantId"),
        Breakage(
            kind: .partitionKeyMismatch,
            find: "dedupe: { key: [plantId, equipment.equipmentId, data.downtimeId, data.status], ttl: 7d }",
            replace: "dedupe: { key: [source, sourceEventId ?? eventId], ttl: 7d }", marker: "[source"),
        Breakage(
            kind: .missingDeadLetter,
            find: "types: [operation.reported, operation.completed]\n    deadLetter: dlq\n",
            replace: "types: [operation.reported, operation.completed]\n", marker: "name: confirmations",
            markerFromTop: true),
        Breakage(
            kind: .missingExceptions,
            find: "types: [material.consumed]\n    deadLetter: dlq\n    exceptions: exceptions\n",
            replace: "types: [material.consumed]\n    deadLetter: dlq\n", marker: "hold:"),
        Breakage(
            kind: .invalidExpression, find: "closeWhen: \"type == 'operation.completed'\"",
            replace: "closeWhen: \"type = 'operation.completed'\"", marker: "= '"),
        Breakage(
            kind: .invalidExpression, find: "filter: \"net != 0\"", replace: "filter: \"net != 0 and\"",
            marker: "\"net", columnOffset: 13),
        Breakage(
            kind: .unknownFunction, find: "round(machineMs / 60000, 3)", replace: "rnd(machineMs / 60000, 3)",
            marker: "rnd("),
        Breakage(
            kind: .unknownFunction, find: "yield: \"sum(convert(data.yield.value",
            replace: "yield: \"avg(convert(data.yield.value", marker: "avg("),
        Breakage(
            kind: .wrongArity, find: "yield.value: convert(yield, unit, unit, op.materialId)",
            replace: "yield.value: convert(yield, unit, unit)", marker: "convert("),
        Breakage(kind: .unknownName, find: "execution.start: from", replace: "execution.start: fromm", marker: "fromm"),
        Breakage(
            kind: .unknownName, find: "    quality: \"if(totalCount > 0, round(goodCount / totalCount, 6), 0)\"",
            replace: "    quality: \"if(totalCount > 0, round(goodCount / totalCnt, 6), 0)\"", marker: "totalCnt"),
        Breakage(kind: .wrongOutputKind, find: "deadLetter: dlq", replace: "deadLetter: erp", marker: "erp"),
        Breakage(
            kind: .wrongOutputKind, find: "- emit: { output: hold-index,", replace: "- emit: { output: dlq,",
            marker: "dlq"),
        Breakage(
            kind: .literalSecret, find: "client.id: plantstream-americas", replace: "sasl.password: hunter2",
            marker: "hunter2"),
        Breakage(
            kind: .literalSecret, find: "client.id: plantstream-americas",
            replace: "ssl.key.password: ${KEY_PASSWORD:-changeit}", marker: "${KEY_PASSWORD"),
        Breakage(
            kind: .stepOrder, find: "- validate: {}\n      - dedupe: { ttl: 24h }",
            replace: "- dedupe: { ttl: 24h }\n      - validate: {}", marker: "dedupe"),
        // Checked against the schemas of the records at each step.
        Breakage(
            kind: .unknownRecordField, find: "sum(convert(data.yield.value, data.yield.uom",
            replace: "sum(convert(data.yeild.value, data.yield.uom", marker: "data.yeild.value"),
        Breakage(
            kind: .unknownRecordField, find: "    key: [plantId, data.orderId]\n",
            replace: "    key: [plantId, data.orderId]\n    eventTime: event_time\n", marker: "event_time"),
        Breakage(
            kind: .unknownRecordField, find: "    key: [plantId, data.orderId]\n",
            replace: "    key: [plantId, data.orderNo]\n", marker: "data.orderNo"),
        Breakage(
            kind: .typeMismatch, find: "machineMs: sum(durationMs(data.interval.start, data.interval.end))",
            replace: "machineMs: sum(data.interval.start)", marker: "data.interval.start"),
        Breakage(
            kind: .typeMismatch, find: "activities[0].qty.value: round(machineMs / 60000, 3)",
            replace: "activities[0].qty.value: round(from / 60000, 3)", marker: "from /"),
        Breakage(
            kind: .unsatisfiableOutput, find: "          sequenceId: sequenceId\n          operationId: operationId\n",
            replace: "          sequenceId: sequenceId\n", marker: "erp.production_confirmation/v1"),
    ]

    @Test(arguments: breakages)
    func catchesBrokenCopy(_ breakage: Breakage) throws {
        let result = try breakage.expectFinding(in: TestSupport.defaultTopologyText)
        #expect(result.findings.allSatisfy { $0.description.hasPrefix("topology.yaml:") })
    }

    @Test func everyFileKindIsCovered() {
        let covered = Set(Self.breakages.map(\.kind))
        let fileKinds: Set<TopologyFinding.Kind> = [
            .syntax, .unknownField, .missingField, .invalidOption, .unknownStep, .unknownSchema, .unknownTable,
            .unknownOutput, .unknownSource, .duplicateName, .missingEnvironmentVariable, .partitionKeyMismatch,
            .missingDeadLetter, .missingExceptions, .invalidExpression, .unknownFunction, .wrongArity, .unknownName,
            .wrongOutputKind, .literalSecret, .stepOrder, .unknownRecordField, .typeMismatch, .unsatisfiableOutput,
        ]
        #expect(fileKinds.subtracting(covered).isEmpty)
        // The remaining kinds are covered by ReferenceDataTests (files) and TopologyLoaderTests (regions).
        let others = Set(TopologyFinding.Kind.allCases).subtracting(fileKinds)
        #expect(others == [.unknownRegion, .missingFile, .duplicateKey, .unsortedRows, .invalidRow])
    }

    @Test func defaultTopologyIsClean() throws {
        let result = TestSupport.loader().lint(contentsOf: TestSupport.defaultTopologyPath)
        #expect(result.findings.isEmpty, Comment(rawValue: result.findings.map(\.description).joined(separator: "\n")))
        let topology = try #require(result.topology)
        #expect(topology.pipelines.count == 15)
    }
}
