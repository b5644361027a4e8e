import Foundation
import Topology

/// Building the plants from the reference files the topology loads (off the hot path).
extension PlantScenario {
    /// The reference tables the simulator reads, by their conventional names (domain.md §2.6).
    static let tableNames = [
        "equipment_master", "material_master", "material_uom", "reason_code_map", "storage_locations",
        "posting_calendar", "work_center_activities", "order_operations", "batch_stock",
    ]

    /// Loads and lints a topology file with the Topology module's loader.
    ///
    /// - Throws: ``SimulatorError/Code/invalidTopology`` with every error finding (`file:line:column`).
    public static func readTopology(file: String) throws(SimulatorError) -> Topology {
        do {
            return try TopologyLoader().load(contentsOf: file)
        } catch {
            let findings = error.findings.filter { $0.severity == .error }.map(\.description)
            throw SimulatorError(
                .invalidTopology, ([error.message] + findings).joined(separator: "\n"))
        }
    }

    /// Reads a topology file and loads the plants of its reference data (see
    /// ``load(topology:directory:region:plants:start:)``).
    public static func load(
        topologyFile: String,
        region: String? = nil,
        plants: Int? = nil,
        start: Int64? = nil
    ) throws(SimulatorError) -> PlantScenario {
        let topology = try readTopology(file: topologyFile)
        let directory = (topologyFile as NSString).deletingLastPathComponent
        return try load(
            topology: topology, directory: directory.isEmpty ? "." : directory, region: region, plants: plants,
            start: start)
    }

    /// Loads the plants of a topology's reference data and routes events as its sources declare.
    ///
    /// - Parameters:
    ///   - topology: The loaded topology.
    ///   - directory: The directory of the topology file (the reference directory is relative to it).
    ///   - region: Only the plants of this region (`nil`: every plant).
    ///   - plants: At most this many plants (the first ones of the equipment master).
    ///   - start: The simulated start, which picks effective-dated rows (`nil`: the default start).
    /// - Throws: ``SimulatorError`` when a file is unreadable, a needed table or column is missing, or the
    ///   region is unknown.
    public static func load(
        topology: Topology,
        directory: String,
        region: String? = nil,
        plants: Int? = nil,
        start: Int64? = nil
    ) throws(SimulatorError) -> PlantScenario {
        var plantIDs: [String]?
        if let region {
            guard let declared = topology.region(named: region) else {
                throw SimulatorError(
                    .invalidOption,
                    "unknown region '\(region)'; the topology declares: "
                        + topology.regions.map(\.name).joined(separator: ", "))
            }
            plantIDs = declared.plants.isEmpty ? nil : declared.plants
        }
        let referenceDirectory =
            topology.referenceDirectory.hasPrefix("/")
            ? topology.referenceDirectory : directory + "/" + topology.referenceDirectory
        var files: [String: String] = [:]
        for name in tableNames {
            var tableName = name
            if name == "posting_calendar", let binding = topology.plantCalendar { tableName = binding.table }
            if name == "material_uom", let binding = topology.units { tableName = binding.table }
            let declared =
                topology.table(named: tableName)
                ?? topology.tables.first { table in
                    guard case .file(let file) = table.origin else { return false }
                    return ((file as NSString).lastPathComponent as NSString).deletingPathExtension == name
                }
            if let declared, case .file(let file) = declared.origin {
                files[name] = file.hasPrefix("/") ? file : referenceDirectory + "/" + file
            }
        }
        var scenario = try load(
            referenceDirectory: referenceDirectory, files: files, routing: EventRouting(topology: topology),
            plantIDs: plantIDs, plants: plants, start: start)
        let schemas =
            topology.schemasDirectory.hasPrefix("/")
            ? topology.schemasDirectory : directory + "/" + topology.schemasDirectory
        scenario.warnings += catalogueWarnings(schemasDirectory: schemas)
        return scenario
    }

    /// Loads the plants from reference files.
    ///
    /// - Parameters:
    ///   - referenceDirectory: Where tables without an explicit file are looked up as `<name>.csv|yaml|yml|json`.
    ///   - files: Explicit files per conventional table name.
    ///   - routing: Where events go.
    ///   - plantIDs: Only these plants (`nil`: all).
    ///   - plants: At most this many plants.
    ///   - start: The simulated start (`nil`: the default start).
    /// - Throws: ``SimulatorError/Code/invalidReferenceData``.
    public static func load(
        referenceDirectory: String,
        files: [String: String] = [:],
        routing: EventRouting = .conventional,
        plantIDs: [String]? = nil,
        plants: Int? = nil,
        start: Int64? = nil
    ) throws(SimulatorError) -> PlantScenario {
        var tables = ReferenceTables()
        var warnings: [String] = []
        for name in tableNames {
            var path = files[name]
            if path == nil {
                for suffix in [".csv", ".yaml", ".yml", ".json"]
                where FileManager.default.fileExists(atPath: referenceDirectory + "/" + name + suffix) {
                    path = referenceDirectory + "/" + name + suffix
                    break
                }
            }
            guard let path else {
                if name == "equipment_master" || name == "material_master" {
                    throw SimulatorError(
                        .invalidReferenceData,
                        "the reference data has no \(name) table (looked in \(referenceDirectory))")
                }
                warnings.append("no \(name) table: the simulator uses defaults for what it would give")
                continue
            }
            tables.tables[name] = try ReferenceTables.read(path: path)
            tables.files[name] = path
        }
        var builder = ScenarioBuilder(tables: tables, warnings: warnings)
        let built = try builder.build(plantIDs: plantIDs, limit: plants, start: start)
        return PlantScenario(
            plants: built.plants, routing: routing, warnings: builder.warnings, defaultStartMs: built.start)
    }

    /// Warnings for catalogue types newer than the simulator writes.
    static func catalogueWarnings(schemasDirectory: String) -> [String] {
        var warnings: [String] = []
        for type in EventType.allCases {
            let folder = schemasDirectory + "/" + type.name
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
                warnings.append("the catalogue has no \(type.name) subject in \(schemasDirectory)")
                continue
            }
            let versions = names.compactMap { name -> Int? in
                guard name.hasPrefix("v"), name.hasSuffix(".json") else { return nil }
                return Int(name.dropFirst().dropLast(5))
            }
            if let newest = versions.max(), newest > type.newestVersion {
                warnings.append(
                    "\(type.name): the catalogue's newest version is v\(newest), the simulator writes v\(type.newestVersion)"
                )
            }
        }
        return warnings
    }
}
