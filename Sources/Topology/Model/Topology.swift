/// A parsed and linted `topology.yaml`: everything one PlantStream deployment does.
///
/// Built by `TopologyLoader` (which also reports lint findings); consumed by the Engine and the Runtime.
public struct Topology: Sendable {
    /// Consumer group is `<application>-<region>`; changelog topics `<application>-<region>-<store>-changelog`.
    public var application: String
    /// Schema registry directory, relative to the topology file's directory unless absolute (default `schemas`).
    public var schemasDirectory: String
    /// Reference data directory, relative to the topology file's directory unless absolute (default `reference`).
    public var referenceDirectory: String
    public var defaults: TopologyDefaults
    /// Where plant time zones and open posting periods come from.
    public var plantCalendar: PlantCalendarBinding?
    /// Unit-of-measure conversion factors used by `convert()`.
    public var units: UnitsBinding?
    public var regions: [Region]
    public var sources: [Source]
    public var tables: [Table]
    public var outputs: [Output]
    public var pipelines: [Pipeline]
    /// The topology file this was read from.
    public var file: String

    public init(
        application: String,
        schemasDirectory: String = "schemas",
        referenceDirectory: String = "reference",
        defaults: TopologyDefaults = TopologyDefaults(),
        plantCalendar: PlantCalendarBinding? = nil,
        units: UnitsBinding? = nil,
        regions: [Region] = [],
        sources: [Source] = [],
        tables: [Table] = [],
        outputs: [Output] = [],
        pipelines: [Pipeline] = [],
        file: String = "topology.yaml"
    ) {
        self.application = application
        self.schemasDirectory = schemasDirectory
        self.referenceDirectory = referenceDirectory
        self.defaults = defaults
        self.plantCalendar = plantCalendar
        self.units = units
        self.regions = regions
        self.sources = sources
        self.tables = tables
        self.outputs = outputs
        self.pipelines = pipelines
        self.file = file
    }

    public func region(named name: String) -> Region? { regions.first { $0.name == name } }
    public func source(named name: String) -> Source? { sources.first { $0.name == name } }
    public func table(named name: String) -> Table? { tables.first { $0.name == name } }
    public func output(named name: String) -> Output? { outputs.first { $0.name == name } }
    public func pipelines(reading source: String) -> [Pipeline] { pipelines.filter { $0.source == source } }
}

/// Processing guarantee of a region's consume-transform-produce loop.
public enum ProcessingGuarantee: String, Sendable, Hashable, CaseIterable {
    case atLeastOnce = "at_least_once"
    case exactlyOnce = "exactly_once"
}

/// `defaults:` — values every region and pipeline inherits.
public struct TopologyDefaults: Sendable, Hashable {
    /// YAML `guarantee`, default `at_least_once`.
    public var guarantee: ProcessingGuarantee
    /// YAML `commitInterval`, default `100ms`.
    public var commitInterval: DurationValue
    /// YAML `targetSystem`, default `SAP_S4`; one of SAP_S4, ORACLE_FUSION, ORACLE_EBS, D365.
    public var targetSystem: String

    public init(
        guarantee: ProcessingGuarantee = .atLeastOnce,
        commitInterval: DurationValue = DurationValue(milliseconds: 100),
        targetSystem: String = "SAP_S4"
    ) {
        self.guarantee = guarantee
        self.commitInterval = commitInterval
        self.targetSystem = targetSystem
    }
}

/// `plantCalendar:` — the table keyed by plantId with columns `timeZone` (IANA name) and `openPeriods`
/// (list of `{from, to}` local dates, inclusive).
public struct PlantCalendarBinding: Sendable, Hashable {
    public var table: String
    public var location: SourceLocation

    public init(table: String, location: SourceLocation) {
        self.table = table
        self.location = location
    }
}

/// `units:` — the table keyed by (plantId, materialId, uom) with columns `numerator`, `denominator`, `baseUom`:
/// `qty_uom × numerator / denominator = qty_baseUom`.
public struct UnitsBinding: Sendable, Hashable {
    public var table: String
    public var location: SourceLocation

    public init(table: String, location: SourceLocation) {
        self.table = table
        self.location = location
    }
}
