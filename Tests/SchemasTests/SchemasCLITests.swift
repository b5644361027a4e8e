import Foundation
import Testing

/// Runs the built `plantstream` binary (`swift build` first) on fixtures.
@Suite struct SchemasCLITests {
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
    }

    static let binary = packageRoot + "/.build/debug/plantstream"

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: [UInt8]? = nil, in directory: String? = nil)
        throws -> Outcome
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let errors = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = standardInput
        try process.run()
        standardInput.fileHandleForWriting.write(Data(input ?? []))
        try standardInput.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            errors: String(decoding: err, as: UTF8.self))
    }

    static func plantstream(_ arguments: String..., input: [UInt8]? = nil, in directory: String? = nil) throws
        -> Outcome
    {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: binary + " (run swift build first)"])
        }
        return try run(binary, arguments, input: input, in: directory)
    }

    static func git(_ arguments: String..., in directory: String) throws {
        let outcome = try run("/usr/bin/env", ["git", "-C", directory] + arguments)
        guard outcome.status == 0 else { throw CocoaError(.executableLoad, userInfo: ["git": outcome.errors]) }
    }

    @Test func theCatalogueChecksClean() throws {
        let outcome = try Self.plantstream("schemas", "check", "--schemas", catalogueDirectory)
        #expect(outcome.status == 0, "\(outcome.output)\(outcome.errors)")
        #expect(outcome.output.hasSuffix(": ok\n"))
        #expect(outcome.output.hasPrefix("schemas check: 37 subjects, 39 versions, "))
    }

    @Test func theDefaultFolderIsSchemasInTheWorkingDirectory() throws {
        let outcome = try Self.plantstream("schemas", "check", in: packageRoot)
        #expect(outcome.status == 0, "\(outcome.output)\(outcome.errors)")
    }

    @Test func findingsNameFilePointerAndRule() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try fixture.folder.write("demo.thing/v3.json", FixtureCatalogue.schema(version: 3))
        try fixture.folder.write(
            "demo.thing/examples/valid-v2-blue.json", #"{"schemaVersion":2,"name":"a","color":"blue"}"#)
        try FileManager.default.removeItem(atPath: fixture.directory + "/demo.thing/examples/valid-blue.json")
        let outcome = try Self.plantstream("schemas", "check", "--schemas", fixture.directory)
        #expect(outcome.status == 1)
        let lines = outcome.output.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == fixture.directory
                + "/demo.thing/v3.json#/properties/color: BACKWARD/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL: "
                + "v3 cannot read data written with v2 (BACKWARD compatibility)")
        #expect(lines.last?.hasSuffix("finding") == true || lines.last?.hasSuffix("findings") == true)
    }

    @Test func publishedVersionsMustNotChange() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try Self.git("init", "-q", in: fixture.directory)
        try Self.git("add", "-A", in: fixture.directory)
        try Self.git(
            "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "publish",
            in: fixture.directory)
        let clean = try Self.plantstream("schemas", "check", "--schemas", fixture.directory, "--against", "HEAD")
        #expect(clean.status == 0, "\(clean.output)\(clean.errors)")
        // Even a whitespace change of a published file is a change.
        try fixture.folder.write(
            "demo.thing/v1.json",
            FixtureCatalogue.schema(version: 1).replacingOccurrences(
                of: #""type": "object""#, with: #""type":  "object""#))
        let changed = try Self.plantstream("schemas", "check", "--schemas", fixture.directory, "--against", "HEAD")
        #expect(changed.status == 1)
        #expect(
            changed.output.hasPrefix(
                fixture.directory + "/demo.thing/v1.json:4: published-version-changed: "), "\(changed.output)")
        let unknownRef = try Self.plantstream("schemas", "check", "--schemas", fixture.directory, "--against", "v9.9")
        #expect(unknownRef.status == 2)
        #expect(unknownRef.errors.contains("unknown git ref 'v9.9'"))
    }

    @Test func againstNeedsAGitRepository() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        let outcome = try Self.plantstream("schemas", "check", "--schemas", fixture.directory, "--against", "HEAD")
        #expect(outcome.status == 2)
        #expect(outcome.errors.contains("is not inside a git repository"))
    }

    @Test func validatePrintsPointerAndMessage() throws {
        let example = catalogueDirectory + "/operation.reported/examples/invalid-required-scrap-reason-when-scrap.json"
        let outcome = try Self.plantstream(
            "schemas", "validate", "operation.reported/v1", example, "--schemas", catalogueDirectory)
        #expect(outcome.status == 1)
        #expect(
            outcome.output
                == "/data: missing required property 'scrapReason' "
                + "(required at mfg.common/v1.json#/$defs/ScrapReasonRule/then/required)\n")
    }

    @Test func validateReadsStandardInput() throws {
        let valid = try readFile(catalogueDirectory + "/machine.cycle/examples/valid-v2-rework.json")
        let ok = try Self.plantstream(
            "schemas", "validate", "machine.cycle/v2", "-", "--schemas", catalogueDirectory, input: valid)
        #expect(ok.status == 0, "\(ok.output)\(ok.errors)")
        #expect(ok.output.isEmpty)
        let olderVersion = try Self.plantstream(
            "schemas", "validate", "machine.cycle/v1", "-", "--schemas", catalogueDirectory, input: valid)
        #expect(olderVersion.status == 1)
        #expect(olderVersion.output.contains("/schemaVersion: "))
        let notJSON = try Self.plantstream(
            "schemas", "validate", "machine.cycle/v2", "-", "--schemas", catalogueDirectory,
            input: Array("{\"a\":".utf8))
        #expect(notJSON.status == 1)
        #expect(notJSON.output.hasPrefix("<stdin>:1:6: not JSON: "))
    }

    @Test(arguments: [
        ["schemas", "validate", "machine.cycle", "x.json"],
        ["schemas", "validate", "machine.cycle/v9", "x.json"],
        ["schemas", "validate", "machine.cycle/v2", "/no/such/file.json"],
        ["schemas", "validate", "machine.cycle/v2"],
        ["schemas", "check", "--schemas", "/no/such/folder"],
        ["schemas", "check", "--bogus"],
    ])
    func usageErrorsExitWith2(_ arguments: [String]) throws {
        let outcome = try Self.run(
            Self.binary, arguments + (arguments.contains("--schemas") ? [] : ["--schemas", catalogueDirectory]))
        #expect(outcome.status == 2, "\(outcome.output)\(outcome.errors)")
        #expect(outcome.errors.hasPrefix("Error: "), "\(outcome.errors)")
        #expect(outcome.output.isEmpty)
    }
}
