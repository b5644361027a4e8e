import ArgumentParser
import Engine
import Topology

/// `plantstream describe steps|sections|functions|codes|all [--markdown]`: the topology reference generated
/// from the specs the loader uses, and the dead-letter codes and exception reasons the engine writes.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract:
            "Print the topology.yaml reference (steps, sections, functions) generated from the loader's specs, or "
            + "the dead-letter codes and exception reasons (codes)."
    )

    enum Topic: String, ExpressibleByArgument, CaseIterable {
        case steps, sections, functions, codes, all
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
        case .codes:
            print(Self.codes, terminator: "")
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

    /// The tables of dead-letter codes and exception reasons (as in docs/engine.md).
    static var codes: String {
        "Dead-letter codes (`ps_error_code`):\n\n" + RecordFailure.Code.markdownTable
            + "\nException records (`exceptionKind`, `reasonCode`):\n\n" + ExceptionKind.markdownTable
    }
}
