import ArgumentParser
import Foundation
import JSON
import Schemas

/// `plantstream schemas validate SCHEMA_ID FILE|-`.
struct SchemasValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate a JSON document against a schema of the catalogue.",
        discussion: """
            Prints each error as `pointer: message`. Exit status: 0 valid, 1 invalid (or not JSON), \
            2 usage error (unknown schema id, unreadable file, broken catalogue).
            """
    )

    @Argument(help: ArgumentHelp("The schema id, e.g. machine.cycle/v2.", valueName: "SCHEMA_ID"))
    var schemaID: String

    @Argument(help: ArgumentHelp("The JSON document, or - for standard input.", valueName: "FILE"))
    var file: String

    @Option(help: "The schemas folder.")
    var schemas = "schemas"

    func run() throws {
        guard SchemaID(schemaID) != nil else {
            throw SchemasCommand.usageError(
                "\"\(schemaID)\" is not a schema id; expected <type>/v<N>, e.g. machine.cycle/v2", command: Self.self)
        }
        let registry: SchemaRegistry
        let schema: RegisteredSchema
        do {
            registry = try SchemaRegistry.load(directory: schemas)
            schema = try registry.schema(named: schemaID)
        } catch {
            let message = error.file == nil && error.uri == nil ? error.message : CatalogFinding(error).description
            throw SchemasCommand.usageError(message, command: Self.self)
        }
        let input: Data?
        if file == "-" {
            input = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            input = FileManager.default.contents(atPath: file)
        }
        guard let input else { throw SchemasCommand.usageError("cannot read \(file)", command: Self.self) }
        let bytes = [UInt8](input)
        let tape = JSONTape()
        let result = bytes.withUnsafeBytes { buffer -> Result<[SchemaViolation], JSONError> in
            do throws(JSONError) {
                let document = try JSONReader().parse(buffer, into: tape)
                return .success(schema.validator.validate(document.root))
            } catch {
                return .failure(error)
            }
        }
        let violations: [SchemaViolation]
        switch result {
        case .success(let found):
            violations = found
        case .failure(let error):
            print("\(file == "-" ? "<stdin>" : file):\(error.line):\(error.column): not JSON: \(error.message)")
            throw SchemasCommand.findings
        }
        for violation in violations { print(violation) }
        if !violations.isEmpty { throw SchemasCommand.findings }
    }
}
