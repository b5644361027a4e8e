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
        /// A catalogue folder (`<type>/v<N>.json` files) to load instead of the built-in stand-ins.
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
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates a benchmark.
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Runs every measurement.
    /// - Throws: ``SchemasError`` if the schemas do not compile, or a description if an event is rejected.
    public func run(progress: (String) -> Void = { _ in }) throws -> [Row] {
        let (compiler, source) = try makeCompiler()
        var rows: [Row] = []
        for type in configuration.types {
            let schema = try compiler.compile("https://schemas.plantstream.dev/\(type)/v1.json")
            var generator = BenchEvents(seed: 42)
            let events: [[UInt8]] = (0..<configuration.distinctEvents).map { index in
                type == "machine.cycle" ? generator.machineCycle(index) : generator.operationReported(index)
            }
            try checkAllValid(events, schema, type)
            let totalBytes = events.reduce(0) { $0 + $1.count }
            progress("\(type): \(events.count) events, \(totalBytes / events.count) bytes each")
            let validate = median { measureValidate(events, schema) }
            let parse = median { measureParse(events) }
            let foundation = median { measureFoundation(events) }
            rows.append(
                Row(
                    type: type, bytesPerEvent: Double(totalBytes) / Double(events.count),
                    validateEventsPerSecond: validate, parseEventsPerSecond: parse,
                    foundationEventsPerSecond: foundation, schemaSource: source))
        }
        return rows
    }

    /// Runs `passes` untimed parse + validate passes over the events of the configured types (for
    /// `valgrind --tool=callgrind` or `perf record`); returns the number of valid events.
    public func profile(passes: Int, parseOnly: Bool = false) throws -> Int {
        let (compiler, _) = try makeCompiler()
        var valid = 0
        for type in configuration.types {
            let schema = try compiler.compile("https://schemas.plantstream.dev/\(type)/v1.json")
            var generator = BenchEvents(seed: 42)
            let events: [[UInt8]] = (0..<configuration.distinctEvents).map { index in
                type == "machine.cycle" ? generator.machineCycle(index) : generator.operationReported(index)
            }
            let tape = JSONTape()
            let reader = JSONReader()
            for _ in 0..<passes {
                for event in events {
                    event.withUnsafeBytes { bytes in
                        if let document = try? reader.parse(bytes, into: tape),
                            parseOnly || schema.isValid(document.root)
                        {
                            valid += 1
                        }
                    }
                }
            }
        }
        return valid
    }

    func makeCompiler() throws -> (SchemaCompiler, String) {
        let compiler = SchemaCompiler()
        if let directory = configuration.schemasDirectory {
            let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
            var loaded = 0
            for file in files.sorted() where file.hasSuffix(".json") && !file.contains("examples/") {
                let name = file.split(separator: "/").last.map(String.init) ?? file
                guard name.hasPrefix("v"), let data = FileManager.default.contents(atPath: directory + "/" + file)
                else {
                    continue
                }
                try compiler.addResource(
                    json: Array(data), uri: "https://schemas.plantstream.dev/" + file, file: directory + "/" + file)
                loaded += 1
            }
            return (compiler, "\(directory) (\(loaded) files)")
        }
        for (uri, text) in BenchSchemas.resources {
            try compiler.addResource(json: Array(text.utf8), uri: uri)
        }
        return (compiler, "built-in stand-ins (domain.md §2.1–2.3)")
    }

    struct RejectedEvent: Error, CustomStringConvertible {
        let description: String
    }

    func checkAllValid(_ events: [[UInt8]], _ schema: CompiledSchema, _ type: String) throws {
        let tape = JSONTape()
        for event in events {
            let problems: [SchemaViolation] = try event.withUnsafeBytes { bytes in
                schema.validate(try JSONReader().parse(bytes, into: tape).root)
            }
            if !problems.isEmpty {
                throw RejectedEvent(
                    description: "\(type) event rejected: \(problems.map(\.description)); "
                        + String(decoding: event, as: UTF8.self))
            }
        }
    }

    func median(_ measure: () -> Double) -> Double {
        let results = (0..<max(1, configuration.runs)).map { _ in measure() }.sorted()
        return results[results.count / 2]
    }

    /// Times passes over `events` until `secondsPerRun` elapsed; returns events per second.
    func timed(_ events: [[UInt8]], _ pass: ([[UInt8]]) -> Int) -> Double {
        let clock = ContinuousClock()
        var processed = 0
        var checksum = 0
        let start = clock.now
        var elapsed = Duration.zero
        repeat {
            checksum &+= pass(events)
            processed += events.count
            elapsed = clock.now - start
        } while elapsed < .seconds(configuration.secondsPerRun)
        precondition(checksum != Int.min)  // keeps the work observable
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(processed) / seconds
    }

    func measureValidate(_ events: [[UInt8]], _ schema: CompiledSchema) -> Double {
        let tape = JSONTape()
        let reader = JSONReader()
        return timed(events) { events in
            var valid = 0
            for event in events {
                event.withUnsafeBytes { bytes in
                    if let document = try? reader.parse(bytes, into: tape), schema.isValid(document.root) { valid += 1 }
                }
            }
            return valid
        }
    }

    func measureParse(_ events: [[UInt8]]) -> Double {
        let tape = JSONTape()
        let reader = JSONReader()
        return timed(events) { events in
            var values = 0
            for event in events {
                event.withUnsafeBytes { bytes in
                    if let document = try? reader.parse(bytes, into: tape) { values += document.valueCount }
                }
            }
            return values
        }
    }

    func measureFoundation(_ events: [[UInt8]]) -> Double {
        let data = events.map { Data($0) }
        return timed(events) { _ in
            var parsed = 0
            for item in data where (try? JSONSerialization.jsonObject(with: item)) != nil { parsed += 1 }
            return parsed
        }
    }
}
