import Foundation
import JSON
import Testing

@testable import Topology

@Suite struct ReferenceDataTests {
    /// A copy of the default topology and reference data in a temporary directory, with `change` applied to
    /// the files (relative path → new text, or nil to delete).
    private func check(
        _ change: (inout [String: String]) -> Void
    ) throws -> (findings: [TopologyFinding], directory: String, files: [String: String]) {
        var files: [String: String] = ["topology.yaml": TestSupport.defaultTopologyText]
        let manager = FileManager.default
        for name in try manager.contentsOfDirectory(atPath: TestSupport.path("reference")) {
            files["reference/" + name] = try String(
                contentsOfFile: TestSupport.path("reference/" + name), encoding: .utf8)
        }
        change(&files)
        let directory = try TestSupport.temporaryDirectory(files.compactMapValues { $0 })
        defer { try? manager.removeItem(atPath: directory) }
        let topology = try TestSupport.loader().load(contentsOf: directory + "/topology.yaml")
        return (ReferenceDataCheck(topology: topology).run(), directory, files)
    }

    private func line(of marker: String, in text: String?) -> Int {
        TestSupport.position(of: marker, in: text ?? "")?.line ?? -1
    }

    @Test func defaultReferenceDataIsClean() throws {
        let topology = try TestSupport.loader().load(contentsOf: TestSupport.defaultTopologyPath)
        let findings = ReferenceDataCheck(topology: topology).run()
        #expect(findings.isEmpty, Comment(rawValue: findings.map(\.description).joined(separator: "\n")))
        // Every plant of every region has a calendar with a valid time zone.
        let calendar = try ReferenceDataCheck(topology: topology).read(
            try #require(topology.table(named: "posting_calendar")))
        let zones = Dictionary(
            uniqueKeysWithValues: calendar.rows.map { ($0.keyText("plantId")!, $0.values["timeZone"]!) })
        #expect(zones == ["DE01": "Europe/Berlin", "US01": "America/Chicago", "CN01": "Asia/Shanghai"])
    }

    @Test func missingFile() throws {
        let result = try check { $0["reference/uom_map.csv"] = nil }
        let finding = try #require(result.findings.first)
        #expect(result.findings.count == 1)
        #expect(finding.kind == .missingFile)
        #expect(finding.location.file.hasSuffix("topology.yaml"))
        let position = try #require(TestSupport.position(of: "name: uom_map", in: result.files["topology.yaml"]!))
        #expect(finding.location.line == position.line && finding.location.column == position.column)
    }

    @Test func duplicateKey() throws {
        let result = try check {
            $0["reference/storage_locations.csv"]! += "US01,FG01,Second FG store,FINISHED,CCUS01LOG\n"
        }
        let finding = try #require(result.findings.first)
        #expect(result.findings.map(\.kind) == [.duplicateKey])
        #expect(finding.location.file.hasSuffix("reference/storage_locations.csv"))
        #expect(finding.location.line == result.files["reference/storage_locations.csv"]!.split(separator: "\n").count)
        #expect(finding.location.column == 1)
        #expect(finding.message.contains("(US01, FG01)"))
    }

    @Test func unsortedEffectiveDatedRows() throws {
        let result = try check { files in
            var lines = files["reference/equipment_master.csv"]!.split(
                separator: "\n", omittingEmptySubsequences: false)
            let first = try! #require(lines.firstIndex { $0.hasPrefix("DE01,M05,2024-01-01") })
            let second = try! #require(lines.firstIndex { $0.hasPrefix("DE01,M05,2025-06-01") })
            lines.swapAt(first, second)
            files["reference/equipment_master.csv"] = lines.joined(separator: "\n")
        }
        let finding = try #require(result.findings.first)
        #expect(result.findings.map(\.kind) == [.unsortedRows])
        #expect(
            finding.location.line == line(of: "DE01,M05,2024-01-01", in: result.files["reference/equipment_master.csv"])
        )
        #expect(finding.message.contains("ascending validFrom"))
    }

    @Test func duplicateEffectiveDatedRow() throws {
        let result = try check {
            $0["reference/equipment_master.csv"] = $0["reference/equipment_master.csv"]!.replacingOccurrences(
                of: "DE01,M05,2025-06-01", with: "DE01,M05,2024-01-01")
        }
        #expect(result.findings.map(\.kind) == [.duplicateKey])
        #expect(result.findings.first?.message.contains("valid from 2024-01-01") == true)
    }

    @Test func invalidCalendarRow() throws {
        let result = try check {
            $0["reference/posting_calendar.yaml"] = $0["reference/posting_calendar.yaml"]!.replacingOccurrences(
                of: "timeZone: America/Chicago", with: "timeZone: America/Chicag")
        }
        let finding = try #require(result.findings.first)
        #expect(result.findings.map(\.kind) == [.invalidRow])
        #expect(finding.location.file.hasSuffix("reference/posting_calendar.yaml"))
        #expect(
            finding.location.line == line(of: "- plantId: US01", in: result.files["reference/posting_calendar.yaml"]))
        #expect(finding.location.column == 3)
    }

    @Test func rowWithoutKey() throws {
        let result = try check { $0["reference/material_master.csv"]! += ",CP-9,Washer,H87,false,false,,PS01,0,0\n" }
        #expect(result.findings.map(\.kind) == [.invalidRow])
        #expect(result.findings.first?.message.contains("key column 'plantId'") == true)
    }

    @Test func plantWithoutCalendar() throws {
        let result = try check { files in
            let text = files["reference/posting_calendar.yaml"]!
            let start = text.range(of: "- plantId: CN01")!.lowerBound
            files["reference/posting_calendar.yaml"] = String(text[..<start])
        }
        #expect(result.findings.map(\.kind) == [.missingField])
        #expect(result.findings.first?.message.contains("plant CN01 of region 'eu-central'") == true)
    }

    @Test func unknownColumnOfAnEnrichedTable() throws {
        let result = try check {
            $0["topology.yaml"] = $0["topology.yaml"]!.replacingOccurrences(
                of: "mainWorkCenter: eq.maintenanceWorkCenter", with: "mainWorkCenter: eq.maintenanceWorkcenter")
        }
        let finding = try #require(result.findings.first)
        #expect(result.findings.map(\.kind) == [.unknownName])
        #expect(finding.message.contains("did you mean 'maintenanceWorkCenter'?"))
        let position = try #require(
            TestSupport.position(of: "eq.maintenanceWorkcenter", in: result.files["topology.yaml"]!))
        #expect(finding.location.line == position.line && finding.location.column == position.column)
    }

    @Test func csvSyntaxErrorHasItsPosition() throws {
        let result = try check { $0["reference/uom_map.csv"]! += "SAP_S4,\"XYZ,X\n" }
        let finding = try #require(result.findings.first)
        #expect(finding.kind == .syntax)
        #expect(finding.location.line == result.files["reference/uom_map.csv"]!.split(separator: "\n").count)
        #expect(finding.location.column == 8)
    }

    @Test func csvParsing() throws {
        let text = "\na,b,c\n1,\"x, \"\"y\"\"\",\n\"multi\nline\",2,3\r\n"
        let (file, findings) = ReferenceTableFile.parse(text: text, path: "t.csv")
        #expect(findings.isEmpty)
        let rows = try #require(file?.rows)
        #expect(file?.columns == ["a", "b", "c"])
        #expect(rows.count == 2)
        #expect(rows[0].values == JSONObject([.init(key: "a", value: "1"), .init(key: "b", value: "x, \"y\"")]))
        #expect(rows[0].location.line == 3)
        #expect(rows[1].values["a"] == "multi\nline")
        #expect(rows[1].location.line == 4)
        let (_, wrongCount) = ReferenceTableFile.parse(text: "a,b\n1,2,3\n", path: "t.csv")
        #expect(wrongCount.map(\.kind) == [.invalidRow])
        let (_, duplicate) = ReferenceTableFile.parse(text: "a,a\n1,2\n", path: "t.csv")
        #expect(duplicate.map(\.kind) == [.duplicateName])
    }

    @Test func yamlAndJSONRowsKeepTypes() throws {
        let yaml = "- { id: A, slot: 2, ratio: 0.125, code: '0010', on: true, none: ~, list: [1, x] }\n"
        let (yamlFile, yamlFindings) = ReferenceTableFile.parse(text: yaml, path: "t.yaml")
        #expect(yamlFindings.isEmpty)
        let row = try #require(yamlFile?.rows.first)
        #expect(row.values["slot"] == 2)
        #expect(row.values["ratio"] == .number(JSONNumber(text: "0.125")!))
        #expect(row.values["code"] == "0010")
        #expect(row.values["on"] == true)
        #expect(row.values["none"] == .null)
        #expect(row.values["list"] == [1, "x"])
        #expect(row.keyText("slot") == "2")
        let json = "[\n  {\"id\": \"A\", \"qty\": \"12.5\"},\n  {\"id\": \"B\", \"qty\": 3}\n]"
        let (jsonFile, jsonFindings) = ReferenceTableFile.parse(text: json, path: "t.json")
        #expect(jsonFindings.isEmpty)
        #expect(jsonFile?.rows.map(\.location.line) == [2, 3])
        #expect(jsonFile?.rows.last?.values["qty"] == 3)
        let (_, broken) = ReferenceTableFile.parse(text: "[{\"id\": }]", path: "t.json")
        #expect(broken.map(\.kind) == [.syntax])
        #expect(broken.first?.location.line == 1)
    }
}
