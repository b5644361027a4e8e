import JSON
import Timekeeping
import Topology

/// Decodes a record's envelope into the canonical event (domain.md §2.2), reusing its tapes and buffer.
///
/// - Plain JSON: the body is the canonical event; it is parsed in place (no copy).
/// - None (foreign records): the body is the producer's own JSON object, parsed in place.
/// - CloudEvents binary mode: `ce_*` headers carry the attributes, the body is `data`.
/// - CloudEvents structured mode: the body is a CloudEvents JSON object with `data`.
///
/// CloudEvents records are normalised into canonical JSON written to a reused buffer and parsed
/// once more (see docs/engine.md for the attribute mapping).
final class EnvelopeDecoder {
    let format: EnvelopeFormat
    private let reader = JSONReader()
    private let tape = JSONTape(capacity: 256)
    private let normalTape = JSONTape(capacity: 256)
    private var writer = JSONWriter(capacity: 4096)

    init(format: EnvelopeFormat) {
        self.format = format
    }

    /// Decodes `record` and calls `body` with the canonical event root (valid only inside `body`).
    ///
    /// - Returns: The failure when the record cannot be decoded (`body` is not called).
    func decode(_ record: InputRecord, value: UnsafeRawBufferPointer, _ body: (JSONNode) -> Void) -> RecordFailure? {
        var detected = format
        if detected == .auto {
            if record.header("ce_specversion") != nil {
                detected = .cloudEventsBinary
            } else if let type = record.header("content-type"), Self.hasPrefix(type, "application/cloudevents") {
                detected = .cloudEventsStructured
            }
        }
        let document: JSONDocument
        do { document = try reader.parse(value, into: tape) } catch { return Self.failure(for: error) }
        if detected == .auto {
            detected = document.root.member("specversion") != nil ? .cloudEventsStructured : .plain
        }
        switch detected {
        case .plain, .auto, .none, .sparkplugB:
            guard document.root.kind == .object else {
                let what = detected == .none ? "record" : "event"
                return RecordFailure(.invalidEnvelope, "the \(what) must be a JSON object")
            }
            body(document.root)
            return nil
        case .cloudEventsBinary:
            if let failure = writeBinary(record, data: document.root) { return failure }
        case .cloudEventsStructured:
            if let failure = writeStructured(record, event: document.root) { return failure }
        }
        var failure: RecordFailure?
        writer.withBytes { bytes in
            do throws(JSONError) {
                let normal = try reader.parse(bytes, into: normalTape)
                body(normal.root)
            } catch {
                failure = Self.failure(for: error)
            }
        }
        return failure
    }

    static func failure(for error: JSONError) -> RecordFailure {
        let code: RecordFailure.Code = error.code == .invalidUTF8 ? .invalidUTF8 : .malformedJSON
        return RecordFailure(code, "byte \(error.offset): \(error.message)")
    }

    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        let start = prefix.utf8Start
        for index in 0..<prefix.utf8CodeUnitCount {
            var byte = bytes[index]
            if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
            if byte != start[index] { return false }
        }
        return true
    }

    // MARK: CloudEvents binary mode

    /// Extension attributes copied into the envelope as strings: (CloudEvents name, canonical field).
    static let stringExtensions: [(StaticString, StaticString, StaticString)] = [
        ("ce_plantid", "plantid", "plantId"),
        ("ce_sourceeventid", "sourceeventid", "sourceEventId"),
        ("ce_subject", "subject", "subject"),
        ("ce_correlationid", "correlationid", "correlationId"),
        ("ce_causationid", "causationid", "causationId"),
        ("ce_reversalofeventid", "reversalofeventid", "reversalOfEventId"),
    ]

    /// Equipment extension attributes: (header, structured name, EquipmentRef field).
    static let equipmentExtensions: [(StaticString, StaticString, StaticString)] = [
        ("ce_enterpriseid", "enterpriseid", "enterpriseId"),
        ("ce_siteid", "siteid", "siteId"),
        ("ce_areaid", "areaid", "areaId"),
        ("ce_lineid", "lineid", "lineId"),
        ("ce_workcellid", "workcellid", "workCellId"),
        ("ce_equipmentid", "equipmentid", "equipmentId"),
    ]

    private func writeBinary(_ record: InputRecord, data: JSONNode) -> RecordFailure? {
        guard let specVersion = record.header("ce_specversion"), Self.equals(specVersion, "1.0") else {
            return RecordFailure(.invalidEnvelope, path: "ce_specversion", "CloudEvents specversion must be 1.0")
        }
        guard let id = record.header("ce_id"), let source = record.header("ce_source"),
            let type = record.header("ce_type"), let time = record.header("ce_time")
        else {
            return RecordFailure(.invalidEnvelope, "binary mode needs ce_id, ce_source, ce_type and ce_time headers")
        }
        if let contentType = record.header("content-type"), !Self.hasPrefix(contentType, "application/json") {
            return RecordFailure(.unsupportedContentType, path: "content-type", "data must be application/json")
        }
        guard
            let version = schemaVersion(
                dataSchema: record.header("ce_dataschema"), explicit: record.header("ce_schemaversion"))
        else {
            return RecordFailure(
                .invalidEnvelope, path: "ce_dataschema", "ce_dataschema must end in /<type>/v<N>[.json]")
        }
        writer.reset()
        writer.beginObject()
        writer.key("specVersion")
        writer.string("mfg/1.0")
        writer.key("eventId")
        writer.string(utf8: id)
        writer.key("type")
        writer.string(utf8: type)
        writer.key("schemaVersion")
        writer.int(version)
        writer.key("source")
        writer.string(utf8: source)
        for (header, _, field) in Self.stringExtensions {
            if let value = record.header(header) {
                writer.key(field)
                writer.string(utf8: value)
            }
        }
        if let sequence = record.header("ce_sourceseq") {
            writer.key("sourceSeq")
            if let number = Self.integer(sequence) { writer.int(number) } else { writer.string(utf8: sequence) }
        }
        if let correction = record.header("ce_iscorrection") {
            writer.key("isCorrection")
            if Self.equals(correction, "true") {
                writer.bool(true)
            } else if Self.equals(correction, "false") {
                writer.bool(false)
            } else {
                writer.string(utf8: correction)
            }
        }
        writer.key("occurredAt")
        writer.string(utf8: time)
        writer.key("ingestedAt")
        if let ingested = record.header("ce_ingestedat") {
            writer.string(utf8: ingested)
        } else {
            writeTimestamp(record.timestamp)
        }
        if record.header("ce_equipmentid") != nil {
            writer.key("equipment")
            writer.beginObject()
            for (header, _, field) in Self.equipmentExtensions {
                if let value = record.header(header) {
                    writer.key(field)
                    writer.string(utf8: value)
                }
            }
            writer.endObject()
        }
        writer.key("data")
        writer.value(data)
        writer.endObject()
        return nil
    }

    // MARK: CloudEvents structured mode

    private func writeStructured(_ record: InputRecord, event: JSONNode) -> RecordFailure? {
        guard event.kind == .object else {
            return RecordFailure(.invalidEnvelope, "a structured CloudEvent must be a JSON object")
        }
        guard let specVersion = event.member("specversion"), specVersion.stringEquals("1.0") else {
            return RecordFailure(.invalidEnvelope, path: "/specversion", "CloudEvents specversion must be 1.0")
        }
        if event.member("data_base64") != nil {
            return RecordFailure(
                .binaryDataUnsupported, path: "/data_base64", "binary CloudEvents data is not supported")
        }
        guard let id = event.member("id"), id.kind == .string, let source = event.member("source"),
            source.kind == .string, let type = event.member("type"), type.kind == .string,
            let time = event.member("time"), time.kind == .string
        else {
            return RecordFailure(.invalidEnvelope, "a CloudEvent needs string id, source, type and time")
        }
        if let contentType = event.member("datacontenttype"),
            contentType.withUnescapedBytes({ Self.hasPrefix($0, "application/json") }) != true
        {
            return RecordFailure(
                .unsupportedContentType, path: "/datacontenttype", "data must be application/json")
        }
        guard let data = event.member("data") else {
            return RecordFailure(.invalidEnvelope, path: "/data", "a CloudEvent needs data")
        }
        let dataSchema = event.member("dataschema")?.rawStringBytes
        let explicit = event.member("schemaversion")
        var version: Int64?
        if let explicit, let number = explicit.int64 {
            version = number
        } else {
            version = schemaVersion(dataSchema: dataSchema, explicit: explicit?.rawStringBytes)
        }
        guard let version else {
            return RecordFailure(.invalidEnvelope, path: "/dataschema", "dataschema must end in /<type>/v<N>[.json]")
        }
        writer.reset()
        writer.beginObject()
        writer.key("specVersion")
        writer.string("mfg/1.0")
        writer.key("eventId")
        writer.value(id)
        writer.key("type")
        writer.value(type)
        writer.key("schemaVersion")
        writer.int(version)
        writer.key("source")
        writer.value(source)
        for (_, name, field) in Self.stringExtensions {
            if let value = event.member(name) {
                writer.key(field)
                writer.value(value)
            }
        }
        if let sequence = event.member("sourceseq") {
            writer.key("sourceSeq")
            writer.value(sequence)
        }
        if let correction = event.member("iscorrection") {
            writer.key("isCorrection")
            writer.value(correction)
        }
        writer.key("occurredAt")
        writer.value(time)
        writer.key("ingestedAt")
        if let ingested = event.member("ingestedat") {
            writer.value(ingested)
        } else {
            writeTimestamp(record.timestamp)
        }
        if event.member("equipmentid") != nil {
            writer.key("equipment")
            writer.beginObject()
            for (_, name, field) in Self.equipmentExtensions {
                if let value = event.member(name) {
                    writer.key(field)
                    writer.value(value)
                }
            }
            writer.endObject()
        }
        writer.key("data")
        writer.value(data)
        writer.endObject()
        return nil
    }

    // MARK: Helpers

    private func writeTimestamp(_ milliseconds: Int64) {
        var text: [UInt8] = []
        RFC3339.appendTimestamp(milliseconds, to: &text)
        text.withUnsafeBytes { writer.string(utf8: $0) }
    }

    /// The `N` of a data schema ending in `/v<N>` or `/v<N>.json`, or of an explicit version.
    private func schemaVersion(dataSchema: UnsafeRawBufferPointer?, explicit: UnsafeRawBufferPointer?) -> Int64? {
        if let explicit, let number = Self.integer(explicit) { return number }
        guard var bytes = dataSchema else { return nil }
        if bytes.count > 5, Self.hasSuffix(bytes, ".json") {
            bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast(5))
        }
        var index = bytes.count
        while index > 0, bytes[index - 1] >= 0x30, bytes[index - 1] <= 0x39 { index -= 1 }
        guard index < bytes.count, index >= 2, bytes[index - 1] == 0x76, bytes[index - 2] == 0x2F else { return nil }
        return Self.integer(UnsafeRawBufferPointer(rebasing: bytes[index...]))
    }

    static func integer(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }

    static func equals(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        bytes.count == text.utf8CodeUnitCount && hasPrefix(bytes, text)
    }

    static func hasSuffix(_ bytes: UnsafeRawBufferPointer, _ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return hasPrefix(UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - count)...]), suffix)
    }
}
