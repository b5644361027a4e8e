import Foundation
import Runtime
import ServiceLifecycle

/// Prints a compact live summary of the demo every few seconds; with a duration, ends the demo after it
/// (the group then shuts down gracefully).
public final class DemoStatusService: Service {
    private let metrics: RuntimeMetrics
    private let simulator: SimulatorService
    private let interval: Duration
    private let duration: Duration?
    private let speed: Double
    private let output: @Sendable (String) -> Void

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - metrics: The processor's statistics.
    ///   - simulator: The load generator.
    ///   - interval: Time between summaries.
    ///   - duration: Stop the demo after this long (`nil`: until Ctrl-C).
    ///   - speed: The simulated-time factor (shown).
    ///   - output: Where lines go (standard output).
    public init(
        metrics: RuntimeMetrics, simulator: SimulatorService, interval: Duration, duration: Duration?, speed: Double,
        output: @escaping @Sendable (String) -> Void
    ) {
        self.metrics = metrics
        self.simulator = simulator
        self.interval = interval
        self.duration = duration
        self.speed = speed
        self.output = output
    }

    /// Prints until graceful shutdown (or the duration), then a final summary.
    public func run() async throws {
        let start = ContinuousClock.now
        defer {
            output(Self.summary(metrics.snapshot, simulator.progress, elapsed: .now - start, speed: speed))
            output(Self.finalSummary(metrics.snapshot, simulator.progress))
        }
        while true {
            var wait = interval
            if let duration {
                let left = duration - (ContinuousClock.now - start)
                if left <= .zero { return }
                wait = min(wait, left)
            }
            do {
                let pause = wait
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            } catch {
                return
            }
            if Task.isShuttingDownGracefully { return }
            if let duration, ContinuousClock.now - start >= duration { return }
            output(Self.summary(metrics.snapshot, simulator.progress, elapsed: .now - start, speed: speed))
        }
    }

    /// One summary line: simulated clock, events in, ERP transactions by type, dead letters, parked, lag.
    static func summary(
        _ statistics: RuntimeStatistics, _ progress: SimulatorService.Progress, elapsed: Duration, speed: Double
    ) -> String {
        let seconds = elapsed.components.seconds
        let clock = progress.simulatedTime > 0 ? Self.format(progress.simulatedTime) : "starting"
        var line = "[\(String(repeating: " ", count: max(0, 4 - String(seconds).count)))\(seconds)s] sim \(clock)"
        line += " | sent \(progress.records) | in \(statistics.eventsIn) lag \(statistics.lag)"
        let types = statistics.transactionsByType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        line += " | ERP \(statistics.transactions)"
        if !types.isEmpty { line += " (" + types.joined(separator: ", ") + ")" }
        let oee = statistics.outputsByTopic.first { $0.key.contains("oee") }?.value ?? 0
        if oee > 0 { line += " | OEE \(oee)" }
        line += " | dead letters \(statistics.deadLetters) | exceptions \(statistics.exceptions)"
        line += " | parked \(statistics.parked) | late \(statistics.lateDeltas + statistics.lateDropped)"
        line += " | dup \(statistics.duplicates)"
        return line
    }

    /// The totals when the demo ends: records, ERP transactions by type, dead letters by code, postings still
    /// parked.
    static func finalSummary(_ statistics: RuntimeStatistics, _ progress: SimulatorService.Progress) -> String {
        func listing(_ counts: [String: Int]) -> String {
            counts.isEmpty
                ? ""
                : " ("
                    + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                    .joined(separator: ", ") + ")"
        }
        return """
            Final: \(progress.records) records sent, \(statistics.eventsIn) processed, lag \(statistics.lag)
              ERP transactions \(statistics.transactions)\(listing(statistics.transactionsByType))
              dead letters \(statistics.deadLetters)\(listing(statistics.deadLettersByCode))
              exceptions \(statistics.exceptions); postings still parked \(statistics.parked) (released \(statistics.released), cancelled \(statistics.cancelled))
            """
    }

    private static func format(_ milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm'Z'"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
