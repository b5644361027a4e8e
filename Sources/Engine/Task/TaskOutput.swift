import Crypto
import JSON
import Schemas

/// The one write path of a task: every output, dead letter, exception and changelog record goes through it to
/// the task's ``Sink``, synchronously and in order.
///
/// It also keeps the promise that no output stops the processor: a record the producer would refuse as too
/// large (``Engine/maxRecordBytes``) is replaced by a `RECORD_TOO_LARGE` dead letter that carries the reason, the
/// original size, a SHA-256 of the original value, the source position and as much of the original as fits.
///
/// - Important: Confined to the task's thread.
final class TaskOutput {
    /// The dead-letter header names (docs/engine.md, "Dead letters").
    enum Header {
        static let code = "ps_error_code"
        static let path = "ps_error_path"
        static let message = "ps_error_message"
        static let topic = "ps_source_topic"
        static let partition = "ps_source_partition"
        static let offset = "ps_source_offset"
        static let pipeline = "ps_pipeline"
        static let schemaId = "ps_schema_id"
        static let originalTopic = "ps_original_topic"
        static let originalCode = "ps_original_error_code"
        static let originalSize = "ps_original_size"
        static let originalSHA256 = "ps_original_sha256"
    }

    /// Bytes a record may take besides its key, value and headers (librdkafka's record overhead, rounded up).
    static let recordOverhead = 128

    let sink: any Sink
    let counters: TaskCounters
    let topic: String
    let partition: Int32
    /// The largest record (key + value + headers + overhead) the producer accepts.
    let maxRecordBytes: Int
    /// Topics the broker refuses records for.
    let refusals: OutputRefusals
    private let exceptionValidator: CompiledSchema?
    private let exceptionSchemaVersion: Int
    /// Reused buffers for exceptions and for validating outputs.
    private var exceptionWriter = JSONWriter(capacity: 4096)
    let outputTape = JSONTape(capacity: 256)
    private let exceptionTape = JSONTape(capacity: 256)

    /// Times the writes when the engine profiles its steps.
    var profiler: StepProfiler? {
        didSet { writeStage = profiler?.stage("write (producer)") ?? 0 }
    }
    private var writeStage = 0

    init(
        sink: any Sink, counters: TaskCounters, topic: String, partition: Int32, maxRecordBytes: Int,
        refusals: OutputRefusals, exceptionValidator: CompiledSchema?, exceptionSchemaVersion: Int
    ) {
        self.refusals = refusals
        self.sink = sink
        self.counters = counters
        self.topic = topic
        self.partition = partition
        self.maxRecordBytes = maxRecordBytes
        self.exceptionValidator = exceptionValidator
        self.exceptionSchemaVersion = exceptionSchemaVersion
    }

    // MARK: Records

    /// Writes a record (an output, dead letter or exception). A record larger than ``maxRecordBytes`` becomes a
    /// `RECORD_TOO_LARGE` dead letter of `pipeline` instead, and one for a topic the broker refuses an
    /// `OUTPUT_REFUSED` dead letter.
    @inline(__always)
    func write(
        _ destination: Destination, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: UnsafeBufferPointer<RecordHeader> = UnsafeBufferPointer(start: nil, count: 0), timestamp: Int64,
        pipeline: PipelinePlan, origin: RecordContext?
    ) {
        let size = Self.size(key: key, value: value, headers: headers)
        guard size > maxRecordBytes || !refusals.isEmpty else {
            let record = OutgoingRecord(
                destination: destination, partition: nil, key: key, value: value, headers: headers,
                timestamp: timestamp)
            if let profiler {
                profiler.measure(writeStage) { sink.send(record) }
            } else {
                sink.send(record)
            }
            return
        }
        let explanation: String
        let code: RecordFailure.Code
        if let reason = refusals.reason(for: destination) {
            let what = destination.kind == .exceptions ? "the exception record" : "the output record"
            code = .outputRefused
            explanation =
                "the broker refuses records for \(destination.topic) (\(reason)); \(what) is kept here: replay it "
                + "with `plantstream dlq replay --to-topic \(destination.topic)` once the topic takes them"
        } else if size > maxRecordBytes {
            let what =
                destination.kind == .deadLetter
                ? "the dead letter" : destination.kind == .exceptions ? "the exception record" : "the output record"
            code = .recordTooLarge
            explanation =
                "\(what) for \(destination.topic) is \(size) bytes; the producer accepts \(maxRecordBytes) "
                + "(message.max.bytes), so its value is cut to what fits"
        } else {
            sink.send(
                OutgoingRecord(
                    destination: destination, partition: nil, key: key, value: value, headers: headers,
                    timestamp: timestamp))
            return
        }
        replace(
            destination, key: key, value: value, headers: headers, timestamp: timestamp, pipeline: pipeline,
            origin: origin, code: code, explanation: explanation)
    }

    /// Writes a changelog record (the task's partition).
    func writeChangelog(
        _ destination: Destination, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?,
        headers: UnsafeBufferPointer<RecordHeader>, timestamp: Int64
    ) {
        sink.send(
            OutgoingRecord(
                destination: destination, partition: partition, key: key, value: value, headers: headers,
                timestamp: timestamp))
    }

    @inline(__always)
    static func size(
        key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: UnsafeBufferPointer<RecordHeader>
    ) -> Int {
        var size = recordOverhead + (key?.count ?? 0) + (value?.count ?? 0)
        for header in headers { size += header.name.count + (header.value?.count ?? 0) + 8 }
        return size
    }

    /// The replacement of a record the producer or the broker would refuse: a `code` dead letter of `pipeline`
    /// with the original's key, headers (a dead letter's reason moves to `ps_original_error_code` and the
    /// message), size, SHA-256 and topic, and as much of its value as fits.
    private func replace(
        _ destination: Destination, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: UnsafeBufferPointer<RecordHeader>, timestamp: Int64, pipeline: PipelinePlan,
        origin: RecordContext?, code: RecordFailure.Code, explanation: String
    ) {
        counters.countDeadLetter(code)
        var names: [[UInt8]] = []
        var values: [[UInt8]?] = []
        func add(_ name: String, _ value: String) {
            names.append(Array(name.utf8))
            values.append(Array(value.utf8))
        }
        var originalCode: String?
        var originalMessage: String?
        var originalPath = ""
        var hasSource = false
        for header in headers {
            let text = header.value.map { String(decoding: $0, as: UTF8.self) } ?? ""
            if header.hasName("ps_error_code") {
                originalCode = text
            } else if header.hasName("ps_error_message") {
                originalMessage = text
            } else if header.hasName("ps_error_path") {
                originalPath = text
            } else {
                if header.hasName("ps_source_topic") { hasSource = true }
                names.append(Array(header.name))
                values.append(header.value.map { Array($0) })
            }
        }
        var hex: [UInt8] = []
        for byte in SHA256.hash(data: value.map { Array($0) } ?? []) {
            hex.append(UUIDv5.hexDigit(byte >> 4))
            hex.append(UUIDv5.hexDigit(byte & 0x0F))
        }
        var message = explanation
        if let originalCode { message += " — original reason \(originalCode): \(originalMessage ?? "")" }
        add(Header.code, code.name)
        add(Header.path, originalPath)
        add(Header.message, String(message.prefix(2000)))
        if let originalCode { add(Header.originalCode, originalCode) }
        add(Header.originalTopic, destination.topic)
        add(Header.originalSize, String(value?.count ?? 0))
        add(Header.originalSHA256, String(decoding: hex, as: UTF8.self))
        if !hasSource {
            add(Header.topic, topic)
            add(Header.partition, String(partition))
            if let origin { add(Header.offset, Self.offsets(of: origin)) }
            add(Header.pipeline, pipeline.name)
        }
        var headerBytes = 0
        for (name, value) in zip(names, values) { headerBytes += name.count + (value?.count ?? 0) + 8 }
        let room = max(0, maxRecordBytes - Self.recordOverhead - headerBytes - (key?.count ?? 0))
        let kept = value.map { UnsafeRawBufferPointer(rebasing: $0.prefix(room)) }
        withHeaders(names: names, values: values) { replacement in
            sink.send(
                OutgoingRecord(
                    destination: pipeline.deadLetter, partition: nil, key: key, value: kept, headers: replacement,
                    timestamp: timestamp))
        }
    }

    /// The offset (or `from-to` offsets of a window result) a record came from.
    static func offsets(of record: RecordContext) -> String {
        if let input = record.input { return String(input.offset) }
        if let stored = record.storedOrigin { return String(stored.offset) }
        if let window = record.window { return "\(window.fromOffset)-\(window.toOffset)" }
        return String(record.offset)
    }

    // MARK: Dead letters

    /// Writes a dead letter for `record`: its original key, value and headers plus `ps_*` reason headers.
    /// Window results (which have no single original record) are written as their JSON with the group key.
    func deadLetter(_ record: RecordContext, _ failure: RecordFailure, pipeline: PipelinePlan) {
        counters.countDeadLetter(failure.code)
        var names: [[UInt8]] = []
        var values: [[UInt8]] = []
        func add(_ name: String, _ value: [UInt8]) {
            names.append(Array(name.utf8))
            values.append(value)
        }
        add(Header.code, Array(failure.code.name.utf8))
        add(Header.path, Array(failure.path.utf8))
        add(Header.message, Array(failure.message.utf8))
        add(Header.topic, Array(topic.utf8))
        add(Header.partition, Array(String(partition).utf8))
        add(Header.pipeline, Array(pipeline.name.utf8))
        if !record.schemaId.isEmpty { add(Header.schemaId, record.schemaId) }

        var originalKey: [UInt8]?
        var originalValue: [UInt8]?
        var originalHeaders: [(name: [UInt8], value: [UInt8]?)] = []
        var timestamp: Int64 = max(record.eventTime, 0)
        if let input = record.input {
            add(Header.offset, Array(String(input.offset).utf8))
            originalKey = input.key.map { Array($0) }
            originalValue = input.value.map { Array($0) }
            for header in input.headers { originalHeaders.append((Array(header.name), header.value.map { Array($0) })) }
            timestamp = input.timestamp
        } else if let stored = record.storedOrigin {
            add(Header.offset, Array(String(stored.offset).utf8))
            originalKey = stored.key
            originalValue = stored.value
            originalHeaders = stored.headers
            timestamp = stored.timestamp
        } else if let window = record.window {
            add(Header.offset, Array("\(window.fromOffset)-\(window.toOffset)".utf8))
            var writer = JSONWriter()
            window.write(to: &writer)
            originalValue = writer.bytes
            var key: [UInt8] = []
            for (index, value) in window.groupValues.enumerated() {
                if index > 0 { key.append(0x7C) }
                value.value.appendText(to: &key)
            }
            originalKey = key
            timestamp = window.createdAt
        }
        let allNames = originalHeaders.map(\.name) + names
        let allValues: [[UInt8]?] = originalHeaders.map(\.value) + values.map { Optional($0) }
        withHeaders(names: allNames, values: allValues) { headers in
            Self.withOptionalBytes(originalKey) { key in
                Self.withOptionalBytes(originalValue) { value in
                    write(
                        pipeline.deadLetter, key: key, value: value, headers: headers, timestamp: timestamp,
                        pipeline: pipeline, origin: record)
                }
            }
        }
    }

    /// Lends headers built from arrays.
    func withHeaders(names: [[UInt8]], values: [[UInt8]?], _ body: (UnsafeBufferPointer<RecordHeader>) -> Void) {
        var flat: [UInt8] = []
        var spans: [(Int, Int, Int, Int)] = []
        for (name, value) in zip(names, values) {
            let nameStart = flat.count
            flat.append(contentsOf: name)
            let valueStart = flat.count
            flat.append(contentsOf: value ?? [])
            spans.append((nameStart, name.count, valueStart, value == nil ? -1 : value!.count))
        }
        flat.withUnsafeBytes { base in
            let headers = spans.map { span in
                RecordHeader(
                    name: UnsafeRawBufferPointer(rebasing: base[span.0..<span.0 + span.1]),
                    value: span.3 < 0 ? nil : UnsafeRawBufferPointer(rebasing: base[span.2..<span.2 + span.3]))
            }
            headers.withUnsafeBufferPointer { body($0) }
        }
    }

    /// Lends optional bytes.
    static func withOptionalBytes(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Void) {
        guard let bytes else {
            body(nil)
            return
        }
        bytes.withUnsafeBytes { body($0) }
    }

    // MARK: Exceptions

    /// Header members copied from the concerned transaction into an exception record.
    static let exceptionHeaderFields: [StaticString] = [
        "targetSystem", "plantId", "postingDate", "documentDate", "createdAt", "window", "sources", "correlationId",
        "lineage",
    ]

    /// Writes an `erp.exception` record to the pipeline's exceptions output (an exception that does not validate
    /// is an engine or topology bug: it becomes an `EXCEPTION_INVALID` dead letter, visible).
    func exception(_ exception: PostingException, pipeline: PipelinePlan) {
        guard let destination = pipeline.exceptions else { return }
        let kind = exception.reason.kind
        let txn = exception.txn
        var idempotencyKey = Array("EXC|\(kind.rawValue)|\(exception.reason.name)|".utf8)
        if let holdId = exception.holdId, kind == .released {
            idempotencyKey += holdId
            idempotencyKey.append(0x7C)
        }
        if let txnId = txn.member("txnId") ?? txn.member("recordId") {
            txnId.appendUnescapedBytes(to: &idempotencyKey)
        } else if let key = txn.member("idempotencyKey") {
            key.appendUnescapedBytes(to: &idempotencyKey)
        }
        var writer = JSONWriter()
        swap(&writer, &exceptionWriter)
        defer { swap(&writer, &exceptionWriter) }
        writer.reset()
        writer.beginObject()
        writer.key("schemaVersion")
        writer.int(Int64(exceptionSchemaVersion))
        writer.key("txnId")
        var uuid: [UInt8] = []
        idempotencyKey.withUnsafeBytes { UUIDv5.append(name: $0, to: &uuid) }
        uuid.withUnsafeBytes { writer.string(utf8: $0) }
        writer.key("txnType")
        writer.string("exception")
        writer.key("idempotencyKey")
        idempotencyKey.withUnsafeBytes { writer.string(utf8: $0) }
        for field in Self.exceptionHeaderFields {
            if let value = txn.member(field) {
                writer.key(field)
                writer.value(value)
            }
        }
        writer.key("exceptionKind")
        writer.string(kind.rawValue)
        writer.key("reasonCode")
        writer.string(exception.reason.name)
        writer.key("message")
        writer.string(String(exception.message.prefix(500)))
        if let holdId = exception.holdId {
            writer.key("holdId")
            holdId.withUnsafeBytes { writer.string(utf8: $0) }
        }
        if exception.embedTxn {
            writer.key("txn")
            writer.value(txn)
        }
        if kind == .released {
            writer.key("releasedTxnIds")
            writer.beginArray()
            for id in exception.releasedTxnIds { id.withUnsafeBytes { writer.string(utf8: $0) } }
            writer.endArray()
        }
        writer.endObject()
        let key = uuid
        var violation: String?
        if let validator = exceptionValidator {
            let tape = exceptionTape
            writer.withBytes { value in
                guard let document = try? JSONReader().parse(value, into: tape) else {
                    violation = "not valid JSON"
                    return
                }
                if !validator.isValid(document.root) {
                    let first = validator.validate(document.root, maxErrors: 1).first
                    violation = first?.description ?? "does not conform"
                }
            }
        }
        if let violation {
            counters.countDeadLetter(.exceptionInvalid)
            withHeaders(
                names: [Array(Header.code.utf8), Array(Header.message.utf8), Array(Header.pipeline.utf8)],
                values: [
                    Array(RecordFailure.Code.exceptionInvalid.name.utf8), Array("erp.exception: \(violation)".utf8),
                    Array(pipeline.name.utf8),
                ]
            ) { headers in
                writer.withBytes { value in
                    key.withUnsafeBytes { keyBytes in
                        write(
                            pipeline.deadLetter, key: exception.kafkaKey ?? keyBytes, value: value, headers: headers,
                            timestamp: exception.timestamp, pipeline: pipeline, origin: nil)
                    }
                }
            }
        } else {
            counters.countException(kind)
            writer.withBytes { value in
                key.withUnsafeBytes { keyBytes in
                    write(
                        destination, key: exception.kafkaKey ?? keyBytes, value: value, timestamp: exception.timestamp,
                        pipeline: pipeline, origin: nil)
                }
            }
        }
    }
}
