import ArgumentParser
import Foundation
import Schemas

/// `plantstream schemas check [--schemas DIR] [--against GIT_REF]`.
struct SchemasCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check schema validity, contiguous versions, compatibility per subject mode and examples.",
        discussion: """
            Prints each finding as `location: rule: message`, the location being `file#/json/pointer` or \
            `file:line:column`. With --against, every version file present at GIT_REF must be byte-identical \
            now: published versions are immutable. Exit status: 0 no findings, 1 findings, 2 usage error.
            """
    )

    @Option(help: "The schemas folder.")
    var schemas = "schemas"

    @Option(help: ArgumentHelp("Fail when a version file published at this git ref changed.", valueName: "GIT_REF"))
    var against: String?

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: schemas, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SchemasCommand.usageError("--schemas \(schemas) is not a folder", command: Self.self)
        }
        var published: [String: [UInt8]]?
        if let against {
            do {
                published = try GitRepository(folder: schemas).publishedVersionFiles(at: against)
            } catch {
                throw SchemasCommand.usageError(error.message, command: Self.self)
            }
        }
        let report = CatalogCheck.report(directory: schemas)
        var findings = report.findings
        if let published {
            findings += CatalogCheck.publishedChanges(published: published, directory: schemas)
        }
        for finding in findings { print(finding) }
        var summary =
            "schemas check: \(report.subjectCount) subjects, \(report.versionCount) versions, "
            + "\(report.exampleCount) examples"
        if let against { summary += ", published versions at \(against)" }
        print(summary + (findings.isEmpty ? ": ok" : ": \(findings.count) finding\(findings.count == 1 ? "" : "s")"))
        if !findings.isEmpty { throw SchemasCommand.findings }
    }
}
