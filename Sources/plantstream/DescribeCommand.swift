import ArgumentParser
import Topology

/// `plantstream describe steps|sections|functions|all [--markdown]`: the topology reference generated from
/// the specs the loader uses.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Print the topology.yaml reference (steps, sections, functions) generated from the loader's specs."
    )

    enum Topic: String, ExpressibleByArgument, CaseIterable {
        case steps, sections, functions, all
    }

    @Argument(help: "What to describe: \(Topic.allCases.map(\.rawValue).joined(separator: ", ")).")
    var topic: Topic = .steps

    @Argument(help: "Only this step (with topic steps).")
    var step: String?

    @Flag(help: "Markdown, as in docs/topology.md.")
    var markdown = false

    func validate() throws {
        if let step, topic != .steps {
            throw ValidationError("a step name ('\(step)') goes only with the topic steps")
        }
        if let step, !StepSpec.builtIn.contains(where: { $0.name == step }) {
            throw ValidationError(
                "unknown step '\(step)'; steps: \(StepSpec.builtIn.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        let format: TopologyReference.Format = markdown ? .markdown : .text
        switch topic {
        case .steps:
            let specs = StepSpec.builtIn.filter { step == nil || $0.name == step }
            print(TopologyReference.steps(specs, format: format), terminator: "")
        case .sections:
            print(TopologyReference.sections(format: format), terminator: "")
        case .functions:
            print(TopologyReference.functions(format: format), terminator: "")
        case .all:
            if markdown {
                print(TopologyReference.markdownDocument())
            } else {
                print(TopologyReference.sections(format: .text))
                print(TopologyReference.steps(format: .text))
                print("functions:")
                print(TopologyReference.functions(format: .text), terminator: "")
            }
        }
    }
}
