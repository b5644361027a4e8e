import Foundation
import JSON
import Schemas

/// `plantstream bench validate`: single-core parse + validate throughput of canonical events,
/// next to Foundation `JSONSerialization` parsing the same bytes.
public struct ValidateBenchmark: Sendable {
    /// What to measure.
    public struct Configuration: Sendable {
        /// Distinct generated events per type (cycled through during a run).
        public var distinctEvents = 10_000
        /// Timed runs per measurement (the median is reported).
        public var runs = 5
        /// Minimum duration of one run in seconds.
        public var secondsPerRun = 1.0
        /// The catalogue folder (`<type>/v<N>.json` + `subject.yaml`); `nil`: `schemas/` in the current
        /// directory, else the package's own `schemas/`. Each type is validated against its newest version.
        public var schemasDirectory: String?
        /// Event types to measure (`machine.cycle`, `operation.reported`).
        public var types = ["machine.cycle", "operation.reported"]

        /// Creates the default configuration.
        public init() {}
    }

    /// Figures for one event type.
    public struct Row: Sendable {
        /// The event type.
        public var type: String
        /// Mean event size in bytes.
        public var bytesPerEvent: Double
        /// Parse + validate (``CompiledSchema/isValid(_:)-(JSONNode)``) events per second (median).
        public var validateEventsPerSecond: Double
        /// Parse-only (``JSONReader``) events per second (median).
        public var parseEventsPerSecond: Double
        /// Foundation `JSONSerialization.jsonObject` events per second (median).
        public var foundationEventsPerSecond: Double
        /// Where the schema came from.
        public var schemaSource: String
        /// The schema the events were validated against (`<type>/v<N>`).
        public var schemaID: String = ""
        /// Parse + validate events per second of CPU time used (median): what one core does, less
        /// sensitive than wall time to other work on a shared machine.
        public var validateEventsPerCPUSecond: Double = 0
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates a benchmark.
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Runs every measurement.
    /// - Throws: ``SchemasError`` if the catalogue does not load, or a description if an event is rejected.
    public func run(progress: (String) -> Void = { _ in }) throws -> [Row] {
        let catalogue = try loadCatalogue()
        var rows: [Row] = []
        for type in configuration.types {
            let (schema, id) = try latestSchema(type, in: catalogue.registry)
            let batch = EventBatch(type: type, count: configuration.distinctEvents)
            try checkAllValid(batch, schema, id)
            progress("\(id): \(batch.count) events, \(batch.bytes.count / batch.count) bytes each")
            var validateRuns: [Rate] = []
            let validate = median {
                let rate = measureValidate(batch, schema)
                validateRuns.append(rate)
                return rate.wall
            }
            let validateCPU = validateRuns.map(\.cpu).sorted()[validateRuns.count / 2]
            let parse = median { measureParse(batch).wall }
            let foundation = median { measureFoundation(batch).wall }
            rows.append(
                Row(
                    type: type, bytesPerEvent: Double(batch.bytes.count) / Double(batch.count),
                    validateEventsPerSecond: validate, parseEventsPerSecond: parse,
                    foundationEventsPerSecond: foundation, schemaSource: catalogue.source, schemaID: id,
                    validateEventsPerCPUSecond: validateCPU))
        }
        return rows
    }

    /// Runs `passes` untimed parse + validate passes over the events of the configured types (for
    /// `perf record`); returns the number of valid events.
    public func profile(passes: Int, parseOnly: Bool = false) throws -> Int {
        let catalogue = try loadCatalogue()
        var valid = 0
        for type in configuration.types {
            let (schema, _) = try latestSchema(type, in: catalogue.registry)
            let batch = EventBatch(type: type, count: configuration.distinctEvents)
            let tape = JSONTape()
            let reader = JSONReader()
            for _ in 0..<passes {
                batch.withEachEvent { bytes in
                    if let document = try? reader.parse(bytes, into: tape), parseOnly || schema.isValid(document.root) {
                        valid += 1
                    }
                }
            }
        }
        return valid
    }

    /// The catalogue folder: the configured one, else `schemas/` in the current directory, else the
    /// package's own `schemas/` (found from this source file's path).
    public func catalogueDirectory() throws -> String {
        if let directory = configuration.schemasDirectory { return directory }
        var candidates = [FileManager.default.currentDirectoryPath + "/schemas"]
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.path + "/schemas")
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate + "/mfg.envelope", isDirectory: &isDirectory),
                isDirectory.boolValue
            {
                return candidate
            }
        }
        throw BenchmarkFailure(
            description: "no schemas/ catalogue in the current directory or at \(packageRoot.path); pass --schemas DIR")
    }

    func loadCatalogue() throws -> (registry: SchemaRegistry, source: String) {
        let directory = try catalogueDirectory()
        let registry = try SchemaRegistry.load(directory: directory)
        let files = registry.subjects.reduce(0) { $0 + $1.versions.count }
        return (registry, "\(directory) (\(registry.subjects.count) subjects, \(files) schema files)")
    }

    /// The newest version of `type` in the catalogue (what events are upcast to and validated against).
    func latestSchema(_ type: String, in registry: SchemaRegistry) throws -> (CompiledSchema, String) {
        guard let subject = registry.subject(named: type) else {
            throw BenchmarkFailure(description: "the catalogue in \(registry.directory) has no subject \(type)")
        }
        return (subject.latest.validator, subject.latest.id.description)
    }

    struct BenchmarkFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Both validation paths must accept every generated event (the benchmark measures valid events).
    func checkAllValid(_ batch: EventBatch, _ schema: CompiledSchema, _ id: String) throws {
        let tape = JSONTape()
        var failure: String?
        batch.withEachEvent { bytes in
            guard failure == nil else { return }
            do {
                let root = try JSONReader().parse(bytes, into: tape).root
                let problems = schema.validate(root)
                let fast = schema.isValid(root)
                if !problems.isEmpty || !fast {
                    failure =
                        "\(id) event rejected: \(problems.map(\.description)); "
                        + String(decoding: bytes, as: UTF8.self)
                }
            } catch {
                failure = "generated \(id) event is not JSON: \(error)"
            }
        }
        if let failure { throw BenchmarkFailure(description: failure) }
    }

    func median(_ measure: () -> Double) -> Double {
        let results = (0..<max(1, configuration.runs)).map { _ in measure() }.sorted()
        return results[results.count / 2]
    }

    /// Events per second of wall time and of the process's CPU time.
    struct Rate {
        let wall: Double
        let cpu: Double
    }

    /// Times passes over the batch until `secondsPerRun` elapsed.
    func timed(_ batch: EventBatch, _ pass: () -> Int) -> Rate {
        let clock = ContinuousClock()
        var processed = 0
        var checksum = 0
        let cpuStart = ResourceUsage.now().cpuSeconds
        let start = clock.now
        var elapsed = Duration.zero
        repeat {
            checksum &+= pass()
            processed += batch.count
            elapsed = clock.now - start
        } while elapsed < .seconds(configuration.secondsPerRun)
        let cpu = ResourceUsage.now().cpuSeconds - cpuStart
        precondition(checksum != Int.min)  // keeps the work observable
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Rate(wall: Double(processed) / seconds, cpu: Double(processed) / max(cpu, 1e-6))
    }

    func measureValidate(_ batch: EventBatch, _ schema: CompiledSchema) -> Rate {
        let tape = JSONTape()
        let reader = JSONReader()
        return timed(batch) {
            var valid = 0
            batch.withEachEvent { bytes in
                if let document = try? reader.parse(bytes, into: tape), schema.isValid(document.root) { valid += 1 }
            }
            return valid
        }
    }

    func measureParse(_ batch: EventBatch) -> Rate {
        let tape = JSONTape()
        let reader = JSONReader()
        return timed(batch) {
            var values = 0
            batch.withEachEvent { bytes in
                if let document = try? reader.parse(bytes, into: tape) { values += document.valueCount }
            }
            return values
        }
    }

    func measureFoundation(_ batch: EventBatch) -> Rate {
        var data: [Data] = []
        batch.withEachEvent { data.append(Data($0)) }
        return timed(batch) {
            var parsed = 0
            for item in data where (try? JSONSerialization.jsonObject(with: item)) != nil { parsed += 1 }
            return parsed
        }
    }
}
