import ArgumentParser

/// Where a region is: the topology file, the region and an override of its bootstrap servers — shared by every
/// command that works on a region (`run`, `demo`, `simulate`, `dlq`).
struct RegionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The topology file.", valueName: "F"))
    var topology = "topology.yaml"

    @Option(
        help: ArgumentHelp(
            "The region (regions[].name); `run` and `dlq` need it, `demo` and `simulate` default to every plant "
                + "of the first region (demo) or of the topology (simulate).",
            valueName: "NAME"))
    var region: String?

    @Option(help: ArgumentHelp("Kafka bootstrap servers (default: the region's bootstrapServers).", valueName: "H:P"))
    var bootstrapServers: String?

    /// The region, for commands that need one.
    /// - Throws: `ValidationError` naming the option when it is missing.
    func requiredRegion() throws -> String {
        guard let region else { throw ValidationError("--region is required: the region to work on (regions[].name)") }
        return region
    }
}
