import JSON

/// The schema catalogue (`schemas/`), loaded once into an immutable value.
///
/// Holds every subject with all its versions compiled, answers schema-id lookups on the hot path
/// without allocating, and upcasts older events to the newest version off the hot path.
public struct SchemaRegistry: Sendable {
    /// The folder the catalogue was loaded from.
    public let directory: String
    /// The subjects, by name.
    public let subjects: [Subject]
    private let subjectIndex: [String: Int]
    /// FNV-1a hash of the type name's UTF-8 → subject indices (for byte lookups).
    private let hashIndex: [UInt64: [Int]]
    private let typeNames: [[UInt8]]
    /// Each subject's versions, by the same index (so lookups copy no `Subject`).
    private let versionTable: [[RegisteredSchema]]

    init(directory: String, subjects: [Subject]) {
        self.directory = directory
        self.subjects = subjects.sorted { $0.name < $1.name }
        var index: [String: Int] = [:]
        var hashes: [UInt64: [Int]] = [:]
        for (position, subject) in self.subjects.enumerated() {
            index[subject.name] = position
            hashes[Self.hash(subject.name.utf8), default: []].append(position)
        }
        subjectIndex = index
        hashIndex = hashes
        typeNames = self.subjects.map { Array($0.name.utf8) }
        versionTable = self.subjects.map(\.versions)
    }

    /// Loads and compiles every subject of `directory`.
    /// - Parameters:
    ///   - directory: The `schemas/` folder.
    ///   - options: Validation options (format assertion is on by default).
    /// - Returns: The registry.
    /// - Throws: The first ``SchemasError`` found: a malformed schema (file and JSON pointer), a
    ///   malformed `subject.yaml` (file:line:column), a version gap, an upcast rule that names a
    ///   member the schemas do not have.
    public static func load(
        directory: String, options: SchemaValidationOptions = SchemaValidationOptions()
    ) throws(SchemasError) -> SchemaRegistry {
        var loader = CatalogLoader(directory: directory, options: options)
        let registry = loader.load()
        if let first = loader.errors.first { throw first }
        return registry
    }

    /// The subject named `name`.
    public func subject(named name: String) -> Subject? {
        subjectIndex[name].map { subjects[$0] }
    }

    /// The schema `id`, if published.
    public func schema(_ id: SchemaID) -> RegisteredSchema? {
        subject(named: id.type)?.version(id.version)
    }

    /// The schema named by id text (`<type>/v<N>` or its `$id` URI).
    /// - Throws: ``SchemasError/Code/invalidSchemaID`` or ``SchemasError/Code/unknownSchema``.
    public func schema(named text: String) throws(SchemasError) -> RegisteredSchema {
        guard let id = SchemaID(text) else {
            throw SchemasError(
                code: .invalidSchemaID,
                message: "\"\(text)\" is not a schema id; expected <type>/v<N>, e.g. machine.cycle/v2")
        }
        guard let subject = subject(named: id.type) else {
            throw SchemasError(code: .unknownSchema, message: "no subject \"\(id.type)\" in \(directory)")
        }
        guard let schema = subject.version(id.version) else {
            throw SchemasError(
                code: .unknownSchema,
                message: "\(id.type) has versions v1 to v\(subject.versions.count), not v\(id.version)")
        }
        return schema
    }

    /// The newest schema id of `type`.
    public func latestID(of type: String) -> SchemaID? { subject(named: type)?.latest.id }

    // MARK: Hot path

    /// The schema of `type` (UTF-8 bytes, e.g. the `type` member of an event) at `version`.
    ///
    /// Allocation-free: hashes the bytes and compares them with the known type names.
    public func schema(type: UnsafeRawBufferPointer, version: Int) -> RegisteredSchema? {
        lookup(type, version)
    }

    /// The schema named by id bytes (`machine.cycle/v2`, or its `$id` URI), e.g. a `ce_dataschema` header.
    ///
    /// Allocation-free.
    public func schema(id bytes: UnsafeRawBufferPointer) -> RegisteredSchema? {
        var text = bytes[...]
        let base = SchemaID.baseURI.utf8
        if text.starts(with: base) {
            text = text.dropFirst(base.count)
            guard text.count > 5, text.suffix(5).elementsEqual(".json".utf8) else { return nil }
            text = text.dropLast(5)
        }
        guard let (type, version) = SchemaID.parse(text) else { return nil }
        return lookup(type, version)
    }

    private func lookup<Bytes: Collection>(_ type: Bytes, _ version: Int) -> RegisteredSchema?
    where Bytes.Element == UInt8 {
        guard let candidates = hashIndex[Self.hash(type)] else { return nil }
        for candidate in candidates where typeNames[candidate].elementsEqual(type) {
            let versions = versionTable[candidate]
            return version >= 1 && version <= versions.count ? versions[version - 1] : nil
        }
        return nil
    }

    private static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    // MARK: Upcasting

    /// Upcasts an event written with schema `id` to its subject's newest version.
    /// - Parameters:
    ///   - document: The whole event, already valid against `id`.
    ///   - id: The schema it was written with.
    /// - Returns: The event as the newest version has it (`schemaVersion` rewritten); unchanged if
    ///   `id` is the newest.
    /// - Throws: ``SchemasError/Code/unknownSchema`` or ``SchemasError/Code/upcastFailed``.
    public func upcast(_ document: JSONValue, from id: SchemaID) throws(SchemasError) -> JSONValue {
        guard let subject = subject(named: id.type), subject.version(id.version) != nil else {
            throw SchemasError(code: .unknownSchema, message: "no schema \(id) in \(directory)")
        }
        return try subject.upcaster.upcast(document, from: id.version)
    }

    /// Upcasts a parsed event (see ``upcast(_:from:)``) and serialises it.
    /// - Returns: Compact JSON of the upcast event.
    public func upcastedBytes(_ event: JSONNode, from id: SchemaID) throws(SchemasError) -> [UInt8] {
        let upcast = try upcast(JSONValue(event), from: id)
        var writer = JSONWriter()
        writer.value(upcast)
        return writer.bytes
    }

    /// Every schema document by `$id`, for ``CompatibilityChecker``.
    public var documents: [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for subject in subjects {
            for version in subject.versions { result[version.uri] = version.document }
        }
        return result
    }
}
