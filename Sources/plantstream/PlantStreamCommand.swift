import ArgumentParser

/// The `plantstream` command line.
@main
struct PlantStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plantstream",
        abstract: "Turns plant-floor events on Kafka into ERP-ready transactions.",
        subcommands: [BrokerCommand.self, BenchCommand.self]
    )
}
