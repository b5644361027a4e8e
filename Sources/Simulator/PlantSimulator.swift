import JSON
import Timekeeping

/// A deterministic generator of realistic plant event streams (domain.md §2.8) as Kafka records.
///
/// The simulator runs the plants of a ``PlantScenario`` as a discrete-event simulation on a simulated
/// clock and writes each event, valid against the newest schema of its type, keyed and routed as the
/// topology declares, with the configured faults. The stream never ends; take as many records as needed:
///
/// ```swift
/// var simulator = try PlantSimulator(scenario: scenario, configuration: SimulatorConfiguration(seed: 7))
/// for _ in 0..<1_000_000 {
///     simulator.withNextRecord { record in producer.send(record.topic, record.key, record.value) }
/// }
/// print(simulator.statistics.report)
/// ```
///
/// The same scenario, configuration and seed always give byte-identical records.
public struct PlantSimulator: Sendable, IteratorProtocol, Sequence {
    private var state: SimulationState
    private var encoder: EventEncoder
    /// The simulated instant the plants started at (epoch ms).
    public let startMs: Int64

    /// Creates a simulator and schedules the first events.
    ///
    /// - Parameters:
    ///   - scenario: The plants and routing.
    ///   - configuration: Seed, start, shares, rates and faults.
    /// - Throws: ``SimulatorError/Code/invalidOption`` for out-of-range settings,
    ///   ``SimulatorError/Code/nothingToGenerate`` when no line has machines and products or no enabled type
    ///   has a topic.
    public init(scenario: PlantScenario, configuration: SimulatorConfiguration = SimulatorConfiguration())
        throws(SimulatorError)
    {
        try configuration.validate()
        guard
            scenario.plants.contains(where: { plant in
                plant.lines.contains { !$0.machines.isEmpty && !$0.products.isEmpty }
            })
        else {
            throw SimulatorError(
                .nothingToGenerate, "no plant has a line with machines and products to make; check the reference data")
        }
        let enabled = EventType.allCases.filter {
            (configuration.eventTypes?.contains($0) ?? true) && scenario.routing.routes[$0] != nil
                && ($0 != .machineTelemetry || configuration.telemetryIntervalSeconds > 0)
        }
        guard !enabled.isEmpty else {
            throw SimulatorError(
                .nothingToGenerate,
                "none of the requested event types has a topic in the topology (or telemetry is off)")
        }
        if configuration.sparkplug != nil && scenario.routing.sparkplug == nil {
            throw SimulatorError(
                .invalidOption, "--sparkplug needs a source with envelope: sparkplug_b in the topology")
        }
        let start = configuration.startMs ?? scenario.defaultStartMs
        startMs = start
        let zones = scenario.plants.map { ZoneRules(identifier: $0.timeZone) ?? .utc }
        var encoderPlants: [EventEncoder.Plant] = []
        var encoderMachines: [EventEncoder.Machine] = []
        for (index, plant) in scenario.plants.enumerated() {
            encoderPlants.append(EventEncoder.Plant(id: plant.id, zone: zones[index]))
            for machine in plant.machines {
                var writer = JSONWriter(capacity: 160)
                writer.beginObject()
                writer.name("enterpriseId")
                writer.string(plant.enterpriseId)
                writer.name("siteId")
                writer.string(plant.id)
                writer.name("areaId")
                writer.string(machine.areaId)
                writer.name("lineId")
                writer.string(machine.lineId)
                if let workCellId = machine.workCellId {
                    writer.name("workCellId")
                    writer.string(workCellId)
                }
                writer.name("equipmentId")
                writer.string(machine.equipmentId)
                writer.endObject()
                encoderMachines.append(
                    EventEncoder.Machine(
                        plant: index, equipmentId: machine.equipmentId, lineId: machine.lineId, areaId: machine.areaId,
                        siteId: plant.id, enterpriseId: plant.enterpriseId, workCellId: machine.workCellId,
                        equipmentJSON: writer.bytes))
            }
        }
        let sources = SimulationState.sources(for: scenario)
        encoder = EventEncoder(
            configuration: configuration, routing: scenario.routing, plants: encoderPlants,
            machines: encoderMachines, sources: sources)
        state = SimulationState(
            scenario: scenario, configuration: configuration, zones: zones, start: start,
            firstSource: encoderMachines.count)
        state.begin(&encoder)
    }

    /// What has been emitted so far.
    public var statistics: SimulatorStatistics { encoder.statistics }

    /// The simulated clock (epoch ms): the time of the latest action.
    public var simulatedTime: Int64 { state.now }

    /// The topics records go to (sorted).
    public var topics: [String] { encoder.topics }

    /// Delayed and duplicate records generated but not yet due.
    public var heldBackCount: Int { encoder.delayedCount }

    /// Hands the next record to `body` without copying it (the view is valid only inside `body`).
    ///
    /// - Returns: What `body` returns, or `nil` when the simulation has nothing left (never, for a
    ///   scenario with production lines).
    public mutating func withNextRecord<R, E: Error>(_ body: (SimulatedRecordView) throws(E) -> R) throws(E) -> R? {
        guard fill() else { return nil }
        return try encoder.takeNext(body)
    }

    /// The next record as an owned value.
    public mutating func next() -> SimulatedRecord? {
        guard fill() else { return nil }
        return encoder.takeNextOwned()
    }

    /// Generates `count` records into `body` (borrowed views, no per-record copies).
    ///
    /// - Returns: The number of records generated (less than `count` only if the simulation ran dry).
    @discardableResult
    public mutating func generate<E: Error>(count: Int, _ body: (SimulatedRecordView) throws(E) -> Void) throws(E)
        -> Int
    {
        var generated = 0
        while generated < count {
            guard fill() else { break }
            try encoder.takeNext(body)
            generated += 1
        }
        return generated
    }

    /// Generates `count` owned records.
    public mutating func records(count: Int) -> [SimulatedRecord] {
        var records: [SimulatedRecord] = []
        records.reserveCapacity(count)
        while records.count < count, let record = next() { records.append(record) }
        return records
    }

    /// Makes every held-back (delayed or duplicate) record due now, so that the next records returned are
    /// those; use at the end of a finite stream so that no generated event is lost.
    public mutating func releaseHeldBack() {
        encoder.releaseAllDelayed()
    }

    private mutating func fill() -> Bool {
        while encoder.readyCount == 0 {
            if !state.step(&encoder) {
                encoder.releaseAllDelayed()
                return encoder.readyCount > 0
            }
        }
        return true
    }
}
