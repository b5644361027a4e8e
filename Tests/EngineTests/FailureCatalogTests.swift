import Engine
import Foundation
import Testing

/// The dead-letter codes and exception reasons are types listed in one place; docs/engine.md shows the table
/// generated from them.
@Suite struct FailureCatalogTests {
    static let begin = "<!-- BEGIN GENERATED CODES (FailureCatalogTests) -->\n"
    static let end = "<!-- END GENERATED CODES -->"

    @Test func theDocsShowTheGeneratedTables() throws {
        let text = try String(contentsOfFile: TestPaths.packageRoot + "/docs/engine.md", encoding: .utf8)
        let start = try #require(text.range(of: Self.begin), "docs/engine.md lacks the begin marker")
        let stop = try #require(text.range(of: Self.end), "docs/engine.md lacks the end marker")
        let generated = String(text[start.upperBound..<stop.lowerBound])
        let expected =
            "Dead-letter codes (`ps_error_code`):\n\n" + RecordFailure.Code.markdownTable
            + "\nException records (`exceptionKind`, `reasonCode`):\n\n" + ExceptionKind.markdownTable
        #expect(generated == expected, "docs/engine.md is stale; paste:\n\(expected)")
    }

    @Test func everyCodeIsListedOnce() {
        let names = RecordFailure.Code.all.map(\.code.name)
        #expect(Set(names).count == names.count)
        let reasons = ExceptionKind.Reason.all.map(\.name)
        #expect(Set(reasons).count == reasons.count)
        #expect(Set(ExceptionKind.Reason.all.map(\.kind)) == Set(ExceptionKind.allCases))
    }
}
