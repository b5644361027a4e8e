import Engine

/// How `plantstream run` (and the demo, which uses the same code path) runs one region.
public struct RuntimeConfiguration: Sendable {
    /// `--topology`: the topology file.
    public var topologyPath: String
    /// `--region`: the region to run (`regions[].name`).
    public var region: String
    /// `--bootstrap-servers`: overrides the region's `bootstrapServers`.
    public var bootstrapServers: String?
    /// `--instance-id`: names this instance in logs, client ids and the transactional id
    /// (default `<hostname>-<pid>`).
    public var instanceID: String
    /// `--exit-when-idle`: stop (exit 0) once every assigned partition is caught up and no record arrived
    /// for this long; `nil` runs until stopped.
    public var exitWhenIdle: Duration?
    /// `-X key=value`: librdkafka properties for every client, over the topology's `kafka:` settings.
    public var kafkaProperties: [String: String]
    /// Environment for `${VAR}` substitution and secrets (default: the process environment).
    public var environment: [String: String]
    /// How long one poll waits for records (also the granularity of commits and wall-clock ticks when idle).
    public var pollTimeout: Duration
    /// The largest batch handed to the tasks per poll.
    public var maxBatch: Int
    /// How often idle partitions get a wall-clock tick (idle-window closing).
    public var wallClockTick: Duration
    /// How often the shared statistics are refreshed (and logged, see ``logInterval``).
    public var statisticsInterval: Duration
    /// How often a status line is logged at `info` (`nil`: never).
    public var logInterval: Duration?
    /// The longest wait for outstanding deliveries on revoke and shutdown.
    public var flushTimeout: Duration
    /// With `--exit-when-idle`: how long the cluster may stay unreachable before the run gives up (exit 1).
    public var unreachableTimeout: Duration
    /// Overrides the topology's `commitInterval` (tests, benchmarks).
    public var commitInterval: Duration?
    /// Create missing output and changelog topics with the admin API (where the cluster allows it).
    public var createTopics: Bool
    /// Benchmarks: stop (as on SIGTERM) once this many input records were processed.
    public var stopAfterRecords: Int?
    /// Benchmarks: called on the processing thread when the first records arrive, and after the final
    /// flush and commit of a stop (before the group is left).
    public var hooks: RuntimeHooks?

    /// Creates a configuration with the defaults of `plantstream run`.
    public init(
        topologyPath: String = "topology.yaml",
        region: String,
        bootstrapServers: String? = nil,
        instanceID: String = RuntimeConfiguration.defaultInstanceID(),
        exitWhenIdle: Duration? = nil,
        kafkaProperties: [String: String] = [:],
        environment: [String: String] = RuntimeEnvironment.current()
    ) {
        self.topologyPath = topologyPath
        self.region = region
        self.bootstrapServers = bootstrapServers
        self.instanceID = instanceID
        self.exitWhenIdle = exitWhenIdle
        self.kafkaProperties = kafkaProperties
        self.environment = environment
        pollTimeout = .milliseconds(50)
        maxBatch = 4096
        wallClockTick = .milliseconds(250)
        statisticsInterval = .milliseconds(500)
        logInterval = .seconds(10)
        flushTimeout = .seconds(60)
        unreachableTimeout = .seconds(120)
        commitInterval = nil
        createTopics = true
        stopAfterRecords = nil
        hooks = nil
    }

    /// `<hostname>-<pid>`.
    public static func defaultInstanceID() -> String {
        "\(RuntimeEnvironment.hostName())-\(RuntimeEnvironment.processID())"
    }
}

/// Callbacks for benchmarks, run on the processing thread.
public struct RuntimeHooks: Sendable {
    /// The first non-empty batch arrived.
    public var firstRecords: @Sendable () -> Void
    /// A stop finished processing: everything is delivered and committed.
    public var drained: @Sendable () -> Void
    /// Times the processing thread's stages (source, steps, writes) on sampled records.
    package var stepProfiler: StepProfiler?

    /// Creates hooks.
    public init(firstRecords: @escaping @Sendable () -> Void, drained: @escaping @Sendable () -> Void) {
        self.firstRecords = firstRecords
        self.drained = drained
    }
}
