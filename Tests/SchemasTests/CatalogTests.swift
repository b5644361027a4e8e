import JSON
import Testing

@testable import Schemas

/// The package root, found from this file's path (Tests/SchemasTests/CatalogTests.swift).
let packageRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

let catalogueDirectory = packageRoot + "/schemas"

@Suite struct CatalogTests {
    @Test func theCatalogueLoads() throws {
        let registry = try SchemaRegistry.load(directory: catalogueDirectory)
        let events = [
            "machine.telemetry", "machine.state", "machine.cycle", "operation.started", "operation.reported",
            "operation.completed", "material.consumed", "material.produced", "scrap.recorded", "downtime.recorded",
            "quality.hold.created", "quality.hold.released", "inspection.result", "order.released", "order.changed",
            "material.moved", "replenishment.requested",
        ]
        let transactions = [
            "erp.production_confirmation", "erp.goods_issue", "erp.goods_receipt", "erp.scrap",
            "erp.stock_status_change", "erp.transfer", "erp.maintenance_notification", "erp.purchase_requisition",
            "erp.inspection_result", "erp.reversal", "erp.exception",
        ]
        for name in events {
            #expect(registry.subject(named: name)?.definition.kind == .event, "\(name)")
        }
        for name in transactions {
            #expect(registry.subject(named: name)?.definition.kind == .transaction, "\(name)")
        }
        #expect(registry.subject(named: "analytics.oee_window")?.definition.kind == .analytics)
        for name in ["mfg.common", "mfg.envelope", "erp.common"] {
            #expect(registry.subject(named: name)?.definition.kind == .definitions, "\(name)")
        }
        // Records of foreign shapes: a line controller's cycles and their totals, an MES's confirmations, the
        // records a Sparkplug B source decodes and reports.
        for name in [
            "linectl.machine_cycle", "linectl.cycle_totals", "acmemes.operation_confirmation", "sparkplug.metric",
            "sparkplug.exception",
        ] {
            #expect(registry.subject(named: name)?.definition.kind == .record, "\(name)")
        }
        #expect(registry.subjects.count == events.count + transactions.count + 4 + 5)
        #expect(registry.latestID(of: "machine.cycle") == SchemaID("machine.cycle/v2"))
        #expect(registry.schema(SchemaID("machine.cycle/v1")!)?.isLatest == false)
        #expect(registry.schema(SchemaID("machine.cycle/v2")!)?.isLatest == true)
    }

    @Test func everyCheckPasses() {
        let findings = CatalogCheck.run(directory: catalogueDirectory)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
    }
}
