import Runtime
import Simulator

/// How `plantstream demo` runs.
public struct DemoConfiguration: Sendable {
    /// `--topology`: the topology file.
    public var topologyPath = "topology.yaml"
    /// `--region`: the region to simulate and process (default: the topology's first).
    public var region: String?
    /// `--speed`: simulated seconds per wall-clock second (default 120: an hour of plant time per 30 s).
    public var speed = 120.0
    /// `--seed`: the simulator's seed.
    public var seed: UInt64 = 1
    /// `--port`: serve the broker on 127.0.0.1:PORT as well (0: only the broker's own ephemeral port).
    public var port = 9092
    /// The operations endpoint's port (`/metrics`, `/health/*`) on 127.0.0.1; `nil`: none, 0: any free port.
    public var httpPort: Int? = 8080
    /// `--interval`: time between status lines.
    public var statusInterval: Duration = .seconds(5)
    /// `--duration`: stop after this long (`nil`: until Ctrl-C).
    public var duration: Duration?
    /// `--faults`: the simulator's faults (default: the domain's demo mix).
    public var faults = FaultConfiguration.demo
    /// Environment for `${VAR}` substitution.
    public var environment = RuntimeEnvironment.current()

    /// The defaults.
    public init() {}
}
