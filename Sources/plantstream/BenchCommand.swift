import ArgumentParser
import Benchmarks
import KafkaClient
import Logging

/// `plantstream bench`: throughput benchmarks (commands, never timed tests).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run throughput benchmarks on the embedded broker.",
        subcommands: [Pipe.self, ValidateBenchCommand.self, EngineBenchCommand.self, E2EBenchCommand.self]
    )
}

extension BenchCommand {
    /// `plantstream bench pipe`: the raw librdkafka consume → produce ceiling.
    struct Pipe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pipe",
            abstract: "Copy records topic → topic through librdkafka unchanged: the throughput ceiling.",
            discussion: """
                Each run starts a fresh embedded cluster, preloads the input (not timed), then polls
                batches, produces every record to the output topic, waits for the batch's delivery
                reports, stores offsets and commits every 100 ms; the input is copied --passes times. Prints records/s, MB/s (10^6 bytes
                of keys + values), CPU seconds (whole process, including the in-process broker) and
                peak RSS per run, then the median run.
                """
        )

        @Option(help: "Records per run (must fit the embedded broker's 5 MiB per partition).")
        var records = 100_000

        @Option(help: "Times the preloaded input is copied per run (longer, steadier timed window).")
        var passes = 5

        @Option(help: "Partitions of the input and output topics.")
        var partitions = 8

        @Option(help: "Key + value bytes per record.")
        var recordSize = 280

        @Option(help: "Timed runs; the median is reported.")
        var runs = 5

        @Option(help: "Largest batch per poll.")
        var batch = 2000

        @Option(help: "When to wait for delivery reports: batch (at-least-once, default) or end (upper bound).")
        var deliveryWait: PipeBenchmark.DeliveryWait = .batch

        @Option(name: .customLong("producer-property"), help: "Extra producer property KEY=VALUE (repeatable).")
        var producerProperties: [String] = []

        @Option(name: .customLong("consumer-property"), help: "Extra consumer property KEY=VALUE (repeatable).")
        var consumerProperties: [String] = []

        static func properties(_ items: [String], option: String) throws -> [String: String] {
            var result: [String: String] = [:]
            for item in items {
                guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                    throw ValidationError("--\(option) '\(item)': expected KEY=VALUE")
                }
                result[String(item[..<equals])] = String(item[item.index(after: equals)...])
            }
            return result
        }

        func validate() throws {
            _ = try Self.properties(producerProperties, option: "producer-property")
            _ = try Self.properties(consumerProperties, option: "consumer-property")
            do {
                try settings.validate()
            } catch {
                throw ValidationError(error.message)
            }
        }

        var settings: PipeBenchmark.Configuration {
            var settings = PipeBenchmark.Configuration()
            settings.records = records
            settings.passes = passes
            settings.partitions = partitions
            settings.recordSize = recordSize
            settings.runs = runs
            settings.maxBatch = batch
            settings.deliveryWait = deliveryWait
            settings.producerProperties = (try? Self.properties(producerProperties, option: "")) ?? [:]
            settings.consumerProperties = (try? Self.properties(consumerProperties, option: "")) ?? [:]
            return settings
        }

        func run() async throws {
            var logger = Logger(label: "plantstream.bench")
            logger.logLevel = .error
            let benchmark = PipeBenchmark(configuration: settings, logger: logger)
            print(
                "bench pipe: \(records) records × \(recordSize) B over \(partitions) partitions, "
                    + "copied \(passes) times per run, "
                    + "\(runs) runs, batch \(batch), delivery wait: \(deliveryWait.rawValue), "
                    + "librdkafka \(KafkaLibrary.version)"
            )
            let thread = KafkaThread(name: "ps-bench-pipe")
            defer { thread.shutdown() }
            let results = try await thread.run {
                try benchmark.run { index, measurement in
                    print("run \(index + 1): \(measurement.summary)")
                }
            }
            if let median = BenchmarkMeasurement.median(results) {
                print("median of \(results.count): \(median.summary)")
            }
        }
    }
}

extension PipeBenchmark.DeliveryWait: ExpressibleByArgument {}
