import Foundation
import JSON

/// Reads `schemas/` into a ``SchemaRegistry``, collecting every problem instead of stopping at the first.
struct CatalogLoader {
    let directory: String
    let options: SchemaValidationOptions
    private(set) var errors: [SchemasError] = []
    /// Every schema document read, by `$id` (also of subjects with problems), for compatibility checks.
    private(set) var documents: [String: JSONValue] = [:]

    init(directory: String, options: SchemaValidationOptions) {
        self.directory = directory
        self.options = options
    }

    /// A subject folder read from disk, not yet compiled.
    private struct PendingSubject {
        var definition: SubjectDefinition
        var subjectFile: String
        var versions: [(id: SchemaID, file: String, document: JSONValue)]
        var failed = false
    }

    private static let fileManager = FileManager.default

    private static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return fileManager.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    private mutating func fail(_ code: SchemasError.Code, _ file: String, _ pointer: String = "", _ message: String) {
        errors.append(SchemasError(code: code, file: file, pointer: pointer, message: message))
    }

    private mutating func read(_ path: String) -> [UInt8]? {
        guard let data = Self.fileManager.contents(atPath: path) else {
            fail(.unreadableFile, path, "", "cannot read the file")
            return nil
        }
        return [UInt8](data)
    }

    /// Loads the catalogue; subjects with problems are left out (see ``errors``).
    mutating func load() -> SchemaRegistry {
        guard Self.isDirectory(directory) else {
            fail(.unreadableFile, directory, "", "not a directory; expected the schemas folder")
            return SchemaRegistry(directory: directory, subjects: [])
        }
        let names = ((try? Self.fileManager.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        var pending: [PendingSubject] = []
        for name in names where !name.hasPrefix(".") {
            let folder = directory + "/" + name
            guard Self.isDirectory(folder) else {
                if name != "README.md" { fail(.invalidCatalog, folder, "", "unexpected file; expected type folders") }
                continue
            }
            if let subject = readSubject(name, folder) { pending.append(subject) }
        }
        let compiler = SchemaCompiler(options: options)
        for index in pending.indices {
            for version in pending[index].versions {
                do {
                    try compiler.addResource(version.document, uri: version.id.uri, file: version.file)
                } catch {
                    errors.append(error)
                    pending[index].failed = true
                }
            }
        }
        let resolver = SchemaResolver(documents: documents)
        var subjects: [Subject] = []
        for index in pending.indices where !pending[index].failed {
            if let subject = compile(pending[index], compiler, resolver) { subjects.append(subject) }
        }
        return SchemaRegistry(directory: directory, subjects: subjects)
    }

    private mutating func readSubject(_ name: String, _ folder: String) -> PendingSubject? {
        guard SchemaID.isTypeName(name.utf8) else {
            fail(.invalidCatalog, folder, "", "folder name is not a type name such as machine.cycle")
            return nil
        }
        let subjectFile = folder + "/subject.yaml"
        guard let yamlBytes = read(subjectFile) else { return nil }
        let definition: SubjectDefinition
        do {
            definition = try SubjectDefinition.parse(
                yaml: String(decoding: yamlBytes, as: UTF8.self), file: subjectFile)
        } catch {
            errors.append(error)
            return nil
        }
        guard definition.name == name else {
            fail(.invalidSubject, subjectFile, "", "subject is \"\(definition.name)\" but the folder is \"\(name)\"")
            return nil
        }
        var files: [Int: String] = [:]
        let entries = ((try? Self.fileManager.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for entry in entries where !entry.hasPrefix(".") {
            if entry == "subject.yaml" || entry == "README.md"
                || (entry == "examples" && Self.isDirectory(folder + "/examples"))
            {
                continue
            }
            if let version = Self.versionNumber(entry) {
                files[version] = folder + "/" + entry
            } else {
                fail(
                    .invalidCatalog, folder + "/" + entry, "",
                    "unexpected file; expected subject.yaml, v<N>.json or examples/")
            }
        }
        guard let newest = files.keys.max() else {
            fail(.invalidCatalog, folder, "", "no versions; expected v1.json")
            return nil
        }
        let missing = (1...newest).filter { files[$0] == nil }
        guard missing.isEmpty else {
            for version in missing {
                fail(
                    .invalidCatalog, folder + "/v\(version).json", "",
                    "missing: versions must be contiguous, v1.json to v\(newest).json")
            }
            return nil
        }
        var subject = PendingSubject(definition: definition, subjectFile: subjectFile, versions: [])
        for version in 1...newest {
            let file = files[version]!
            guard let id = SchemaID(type: name, version: version), let bytes = read(file) else {
                subject.failed = true
                continue
            }
            let document: JSONValue
            do {
                document = try JSONValue(parsing: bytes)
            } catch {
                fail(.invalidJSON, "\(file):\(error.line):\(error.column)", "", "invalid JSON: \(error.message)")
                subject.failed = true
                continue
            }
            if !checkConventions(document, id: id, kind: definition.kind, file: file) { subject.failed = true }
            documents[id.uri] = document
            subject.versions.append((id, file, document))
        }
        return subject
    }

    /// `v<N>.json` with N ≥ 1 and no leading zero.
    static func versionNumber(_ name: String) -> Int? {
        guard name.hasPrefix("v"), name.hasSuffix(".json") else { return nil }
        let digits = name.dropFirst().dropLast(5)
        guard let first = digits.first, first != "0", digits.count <= 9, digits.allSatisfy(\.isASCII),
            let value = Int(digits)
        else { return nil }
        return value
    }

    private mutating func checkConventions(
        _ document: JSONValue, id: SchemaID, kind: SubjectDefinition.Kind, file: String
    ) -> Bool {
        let before = errors.count
        guard case .object = document else {
            fail(.invalidCatalog, file, "", "a catalogue schema is a JSON object")
            return false
        }
        if document["$schema"] != .string(SchemaCompiler.dialect202012) {
            fail(.invalidCatalog, file, "/$schema", "expected \"\(SchemaCompiler.dialect202012)\"")
        }
        if document["$id"] != .string(id.uri) {
            fail(.invalidCatalog, file, "/$id", "expected \"\(id.uri)\" (the file's schema id)")
        }
        if kind != .definitions && kind != .record {
            if document["properties"]?["schemaVersion"]?["const"] != .number(JSONNumber(Int64(id.version))) {
                fail(
                    .invalidCatalog, file, "/properties/schemaVersion",
                    "expected {\"const\": \(id.version)}: every document carries its schema version")
            }
            if kind == .event, document["properties"]?["type"]?["const"] != .string(id.type) {
                fail(.invalidCatalog, file, "/properties/type", "expected {\"const\": \"\(id.type)\"}")
            }
        }
        return errors.count == before
    }

    private mutating func compile(
        _ pending: PendingSubject, _ compiler: SchemaCompiler, _ resolver: SchemaResolver
    ) -> Subject? {
        let before = errors.count
        var compiled: [CompiledSchema] = []
        for version in pending.versions {
            do {
                compiled.append(try compiler.compile(version.id.uri))
            } catch {
                errors.append(error)
            }
        }
        guard errors.count == before else { return nil }
        checkUpcastRules(pending, compiler, resolver)
        guard errors.count == before else { return nil }
        let newest = pending.versions.count
        let versions = pending.versions.enumerated().map { index, version in
            RegisteredSchema(
                id: version.id, kind: pending.definition.kind, file: version.file, document: version.document,
                validator: compiled[index], isLatest: index + 1 == newest)
        }
        return Subject(
            definition: pending.definition, versions: versions,
            upcaster: Upcaster(
                latestVersion: newest, steps: pending.definition.upcastSteps,
                writesSchemaVersion: pending.definition.kind != .record))
    }

    /// Each rule must name members the schemas of its step actually have.
    private mutating func checkUpcastRules(
        _ pending: PendingSubject, _ compiler: SchemaCompiler, _ resolver: SchemaResolver
    ) {
        let definition = pending.definition
        let newest = pending.versions.count
        for (stepIndex, step) in definition.upcastSteps.enumerated() {
            let locations =
                definition.ruleLocations.indices.contains(stepIndex) ? definition.ruleLocations[stepIndex] : []
            func place(_ ruleIndex: Int) -> String {
                let location = locations.indices.contains(ruleIndex) ? locations[ruleIndex] : nil
                return "\(pending.subjectFile):\(location?.line ?? 1):\(location?.column ?? 1)"
            }
            guard step.from < newest else {
                fail(
                    .invalidSubject, place(0), "",
                    "upcast step from v\(step.from) but the newest version is v\(newest)")
                continue
            }
            let source = resolver.resource(pending.versions[step.from - 1].id.uri)
            let target = resolver.resource(pending.versions[step.from].id.uri)
            let from = "v\(step.from)"
            let to = "v\(step.from + 1)"
            for (ruleIndex, rule) in step.rules.enumerated() {
                func lookup(_ schema: LocatedSchema?, _ path: UpcastPath) -> LocatedSchema? {
                    schema.flatMap { resolver.propertySchema($0, path.tokens) }
                }
                switch rule {
                case .add(let path, let value):
                    guard let property = lookup(target, path) else {
                        fail(.invalidSubject, place(ruleIndex), "", "add \(path): \(to) has no such member")
                        continue
                    }
                    if let validator = try? compiler.compile(property.location) {
                        let violations = validator.validate(value)
                        if let first = violations.first {
                            fail(
                                .invalidSubject, place(ruleIndex), "",
                                "add \(path): default \(value) does not match \(to) (\(first))")
                        }
                    }
                case .rename(let old, let new):
                    if lookup(source, old) == nil {
                        fail(.invalidSubject, place(ruleIndex), "", "rename \(old): \(from) has no such member")
                    }
                    if lookup(target, new) == nil {
                        fail(.invalidSubject, place(ruleIndex), "", "rename to \(new): \(to) has no such member")
                    }
                case .remove(let path):
                    if lookup(source, path) == nil {
                        fail(.invalidSubject, place(ruleIndex), "", "remove \(path): \(from) has no such member")
                    }
                    if lookup(target, path) != nil {
                        fail(.invalidSubject, place(ruleIndex), "", "remove \(path): \(to) still has this member")
                    }
                }
            }
        }
    }
}
