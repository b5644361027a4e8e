import Foundation
import JSON
import Operations
import Runtime
import Testing

/// The Grafana dashboard under deploy/ queries only metrics the exporter writes.
@Suite struct DashboardTests {
    static let dashboard = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/grafana/plantstream.json")

    /// Every `plantstream_…` name in the dashboard's queries.
    static func queriedMetrics() throws -> Set<String> {
        let dashboard = try JSONValue(parsing: String(contentsOf: dashboard, encoding: .utf8))
        var names: Set<String> = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let object):
                for member in object.members {
                    if member.key == "expr", let query = member.value.stringValue {
                        names.formUnion(metrics(in: query))
                    }
                    collect(member.value)
                }
            case .array(let values): values.forEach(collect)
            default: break
            }
        }
        collect(dashboard)
        return names
    }

    static func metrics(in query: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(query)
        while let start = rest.range(of: "plantstream_") {
            let name = rest[start.lowerBound...].prefix { $0.isLetter || $0 == "_" }
            names.insert(String(name))
            rest = rest[start.upperBound...]
        }
        return names
    }

    @Test func everyQueriedMetricIsExported() throws {
        var statistics = RuntimeStatistics()
        statistics.transactionsByType = ["goods_issue": 1]
        statistics.deadLettersByCode = ["SCHEMA_VIOLATION": 1]
        statistics.outputsByTopic = ["erp.txn.v1": 1]
        statistics.lagByPartition = ["mfg.production.v1[0]": 0]
        let exporter = StatisticsExporter()
        exporter.update(statistics, readiness: Readiness(statistics, maxLag: 0))
        let exposition = String(decoding: exporter.exposition(), as: UTF8.self)
        let queried = try Self.queriedMetrics()
        #expect(queried.count >= 15)
        for name in queried {
            #expect(exposition.contains("# TYPE \(name) "), "the dashboard queries \(name), which is not exported")
        }
    }
}
