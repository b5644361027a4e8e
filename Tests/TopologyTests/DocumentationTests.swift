import Foundation
import Testing

@testable import Topology

@Suite struct DocumentationTests {
    @Test func generatedReferenceInDocsIsCurrent() throws {
        let text = try String(contentsOfFile: TestSupport.path("docs/topology.md"), encoding: .utf8)
        let begin = try #require(
            text.range(of: TopologyReference.beginMarker), "docs/topology.md lacks the begin marker")
        let end = try #require(text.range(of: TopologyReference.endMarker), "docs/topology.md lacks the end marker")
        let generated = String(text[begin.lowerBound..<end.upperBound])
        #expect(
            generated == TopologyReference.markdownDocument(),
            "docs/topology.md is stale: run `plantstream describe all --markdown` and paste it between the markers")
    }

    @Test func referenceCoversEveryStepOptionAndFunction() {
        let markdown = TopologyReference.markdownDocument()
        for spec in StepSpec.builtIn {
            #expect(markdown.contains("### \(spec.name)\n"))
            for option in spec.object.options where spec.object.wholeMapping == nil {
                #expect(markdown.contains("| `\(option.name)` |"), "\(spec.name).\(option.name) is not documented")
            }
        }
        for function in ExpressionFunction.all {
            #expect(markdown.contains("`\(function.signature)`"))
        }
    }

    @Test func everyFunctionTheLintKnowsIsDocumentedInTheGuide() throws {
        let guide = try String(contentsOfFile: TestSupport.path("docs/topology.md"), encoding: .utf8)
        let prose = String(guide[..<guide.range(of: TopologyReference.beginMarker)!.lowerBound])
        for function in ExpressionFunction.all {
            #expect(prose.contains("`\(function.name)`"), "the Expressions section does not mention \(function.name)")
        }
        for kind in TopologyFinding.Kind.allCases {
            #expect(prose.contains("| `\(kind.rawValue)` |"), "the findings table lacks \(kind.rawValue)")
        }
    }
}
