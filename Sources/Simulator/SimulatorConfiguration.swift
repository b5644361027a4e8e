/// What the simulator generates and how. Every default follows the demo profile of domain.md §2.8.
public struct SimulatorConfiguration: Sendable, Hashable {
    /// `--seed`: the seed of every random choice (default 1). The same seed and configuration give
    /// byte-identical records.
    public var seed: UInt64
    /// `--start`: the simulated instant the plants start at (epoch ms). `nil` picks 06:00 plant-local
    /// time of the first day of the newest open posting period of the first plant (or 2025-03-10T06:00Z).
    public var startMs: Int64?
    /// Event types to emit; `nil` emits every type that has a topic. The plants are simulated in full
    /// either way (a benchmark can emit only `machine.cycle`).
    public var eventTypes: Set<EventType>?
    /// Share of `machine.cycle` events written as schema v1 (exercises upcasting; default 0.1).
    public var cycleV1Share: Double
    /// Share of events on `auto`-envelope sources sent in CloudEvents binary mode (default 0.1).
    public var cloudEventsBinaryShare: Double
    /// Share of events on `auto`-envelope sources sent in CloudEvents structured mode (default 0).
    public var cloudEventsStructuredShare: Double
    /// Telemetry sample interval per machine in seconds; 0 turns E1 off (default 300).
    public var telemetryIntervalSeconds: Int
    /// Quality holds per plant per simulated day (default 6; domain.md says 1–5, slightly more shows
    /// holds in a short demo).
    public var holdsPerPlantPerDay: Double
    /// Share of holds released with disposition SCRAP (default 0.3; the rest are released).
    public var holdScrapShare: Double
    /// Unplanned breakdowns per machine per 8 h shift (default 1); about 60 % last 10 minutes or more.
    public var breakdownsPerShift: Double
    /// Share of order components whose consumption the MES reports in an alternative unit of the material
    /// (one whose conversion to the base unit is exact, e.g. GRM for KGM); default 0.1.
    public var alternativeUnitShare: Double
    /// With an order master in the reference data, lines work through its released orders and then run
    /// them again (same order and operation numbers, `order.changed` RELEASED with the next version), so
    /// every operation the stream names is in the master. `true` releases new order numbers instead once
    /// the master's orders have run (default false).
    public var releasesNewOrders: Bool
    /// Faults to inject.
    public var faults: FaultConfiguration
    /// `--sparkplug`: machine events (cycles, states, telemetry) as Sparkplug B from one edge node per line, to
    /// the topology's `sparkplug_b` source; `nil` sends them as JSON (default).
    public var sparkplug: SparkplugSimulation?

    /// Creates a configuration.
    public init(
        seed: UInt64 = 1,
        startMs: Int64? = nil,
        eventTypes: Set<EventType>? = nil,
        cycleV1Share: Double = 0.1,
        cloudEventsBinaryShare: Double = 0.1,
        cloudEventsStructuredShare: Double = 0,
        telemetryIntervalSeconds: Int = 300,
        holdsPerPlantPerDay: Double = 6,
        holdScrapShare: Double = 0.3,
        breakdownsPerShift: Double = 1,
        alternativeUnitShare: Double = 0.1,
        releasesNewOrders: Bool = false,
        faults: FaultConfiguration = .none,
        sparkplug: SparkplugSimulation? = nil
    ) {
        self.seed = seed
        self.startMs = startMs
        self.eventTypes = eventTypes
        self.cycleV1Share = cycleV1Share
        self.cloudEventsBinaryShare = cloudEventsBinaryShare
        self.cloudEventsStructuredShare = cloudEventsStructuredShare
        self.telemetryIntervalSeconds = telemetryIntervalSeconds
        self.holdsPerPlantPerDay = holdsPerPlantPerDay
        self.holdScrapShare = holdScrapShare
        self.breakdownsPerShift = breakdownsPerShift
        self.alternativeUnitShare = alternativeUnitShare
        self.releasesNewOrders = releasesNewOrders
        self.faults = faults
        self.sparkplug = sparkplug
    }

    /// Checks ranges.
    /// - Throws: ``SimulatorError/Code/invalidOption``.
    public func validate() throws(SimulatorError) {
        let shares: [(String, Double)] = [
            ("cycleV1Share", cycleV1Share), ("cloudEventsBinaryShare", cloudEventsBinaryShare),
            ("cloudEventsStructuredShare", cloudEventsStructuredShare), ("holdScrapShare", holdScrapShare),
            ("alternativeUnitShare", alternativeUnitShare),
            ("sparkplug lost share", sparkplug?.lostShare ?? 0),
            ("sparkplug reconnect share", sparkplug?.reconnectShare ?? 0),
        ]
        for (name, share) in shares where !(0...1).contains(share) {
            throw SimulatorError(.invalidOption, "\(name) must be between 0 and 1, got \(share)")
        }
        if cloudEventsBinaryShare + cloudEventsStructuredShare > 1 {
            throw SimulatorError(.invalidOption, "the CloudEvents binary and structured shares add up to more than 1")
        }
        if telemetryIntervalSeconds < 0 || holdsPerPlantPerDay < 0 || breakdownsPerShift < 0 {
            throw SimulatorError(.invalidOption, "rates and intervals must not be negative")
        }
    }
}
