import JSON

extension PartitionTask {
    /// Hands one record to the sink.
    @inline(__always)
    func send(
        _ destination: Destination,
        partition: Int32? = nil,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: UnsafeBufferPointer<RecordHeader> = UnsafeBufferPointer(start: nil, count: 0),
        timestamp: Int64
    ) {
        sink.send(
            OutgoingRecord(
                destination: destination, partition: partition, key: key, value: value, headers: headers,
                timestamp: timestamp))
    }

    /// The dead-letter header names (docs/engine.md, "Dead letters").
    enum DeadLetterHeader {
        static let code = "ps_error_code"
        static let path = "ps_error_path"
        static let message = "ps_error_message"
        static let topic = "ps_source_topic"
        static let partition = "ps_source_partition"
        static let offset = "ps_source_offset"
        static let pipeline = "ps_pipeline"
        static let schemaId = "ps_schema_id"
    }

    /// Writes a dead letter for the current record of `context`: its original key, value and headers
    /// plus `ps_*` reason headers. Window results (which have no single original record) are written
    /// as their JSON with the group key.
    func deadLetter(_ context: RecordContext, _ failure: RecordFailure) {
        guard let pipeline = context.pipeline else { return }
        counters.pointee.deadLetters += 1
        var names: [[UInt8]] = []
        var values: [[UInt8]] = []
        func add(_ name: String, _ value: [UInt8]) {
            names.append(Array(name.utf8))
            values.append(value)
        }
        add(DeadLetterHeader.code, Array(failure.code.utf8))
        add(DeadLetterHeader.path, Array(failure.path.utf8))
        add(DeadLetterHeader.message, Array(failure.message.utf8))
        add(DeadLetterHeader.topic, Array(topic.utf8))
        add(DeadLetterHeader.partition, Array(String(partition).utf8))
        add(DeadLetterHeader.pipeline, Array(pipeline.name.utf8))
        if !context.schemaId.isEmpty { add(DeadLetterHeader.schemaId, context.schemaId) }

        var originalKey: [UInt8]?
        var originalValue: [UInt8]?
        var originalHeaders: [(name: [UInt8], value: [UInt8]?)] = []
        var timestamp: Int64 = max(context.eventTime, 0)
        if let input = context.input {
            add(DeadLetterHeader.offset, Array(String(input.offset).utf8))
            originalKey = input.key.map { Array($0) }
            originalValue = input.value.map { Array($0) }
            for header in input.headers { originalHeaders.append((Array(header.name), header.value.map { Array($0) })) }
            timestamp = input.timestamp
        } else if let stored = context.storedOrigin {
            add(DeadLetterHeader.offset, Array(String(stored.offset).utf8))
            originalKey = stored.key
            originalValue = stored.value
            originalHeaders = stored.headers
            timestamp = stored.timestamp
        } else if let window = context.window {
            add(DeadLetterHeader.offset, Array("\(window.fromOffset)-\(window.toOffset)".utf8))
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
            withOptionalBytes(originalKey) { key in
                withOptionalBytes(originalValue) { value in
                    send(pipeline.deadLetter, key: key, value: value, headers: headers, timestamp: timestamp)
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
    func withOptionalBytes(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Void) {
        guard let bytes else {
            body(nil)
            return
        }
        bytes.withUnsafeBytes { body($0) }
    }

    /// Header members copied from the concerned transaction into an exception record.
    static let exceptionHeaderFields: [StaticString] = [
        "targetSystem", "plantId", "postingDate", "documentDate", "createdAt", "window", "sources", "correlationId",
        "lineage",
    ]

    /// Writes an `erp.exception` record about `txn` (a parsed transaction) to the pipeline's exceptions output.
    ///
    /// - Parameters:
    ///   - kind: `PARKED`, `CANCELLED` or `RELEASED`.
    ///   - reason: The `reasonCode`.
    ///   - txn: The transaction concerned (embedded unless `kind` is `RELEASED`; its header is copied).
    ///   - releasedTxnIds: For `RELEASED` notices.
    func writeException(
        pipeline: PipelinePlan,
        kind: String,
        reason: String,
        message: String,
        holdId: [UInt8]?,
        txn: JSONNode,
        embedTxn: Bool,
        releasedTxnIds: [[UInt8]] = [],
        kafkaKey: UnsafeRawBufferPointer?,
        timestamp: Int64
    ) {
        guard let destination = pipeline.exceptions else { return }
        var idempotencyKey = Array("EXC|\(kind)|\(reason)|".utf8)
        if let holdId, kind == "RELEASED" {
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
        writer.int(1)
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
        writer.string(kind)
        writer.key("reasonCode")
        writer.string(reason)
        writer.key("message")
        writer.string(String(message.prefix(500)))
        if let holdId {
            writer.key("holdId")
            holdId.withUnsafeBytes { writer.string(utf8: $0) }
        }
        if embedTxn {
            writer.key("txn")
            writer.value(txn)
        }
        if kind == "RELEASED" {
            writer.key("releasedTxnIds")
            writer.beginArray()
            for id in releasedTxnIds { id.withUnsafeBytes { writer.string(utf8: $0) } }
            writer.endArray()
        }
        writer.endObject()
        let key = uuid
        var violation: String?
        if let validator = engine.exceptionValidator {
            let tape = exceptionTape
            writer.withBytes { value in
                guard let document = try? JSONReader().parse(value, into: tape) else {
                    violation = "not valid JSON"
                    return
                }
                if !validator.isValid(document.root) {
                    let first = validator.validate(document.root, maxErrors: 1).first
                    violation = "\(first?.instancePointer ?? ""): \(first?.message ?? "does not conform")"
                }
            }
        }
        if let violation {
            // An exception that does not validate is an engine or topology bug: keep it visible.
            counters.pointee.deadLetters += 1
            withHeaders(
                names: [
                    Array(DeadLetterHeader.code.utf8), Array(DeadLetterHeader.message.utf8),
                    Array(DeadLetterHeader.pipeline.utf8),
                ],
                values: [
                    Array("EXCEPTION_INVALID".utf8), Array("erp.exception: \(violation)".utf8),
                    Array(pipeline.name.utf8),
                ]
            ) { headers in
                writer.withBytes { value in
                    key.withUnsafeBytes { keyBytes in
                        send(
                            pipeline.deadLetter, key: kafkaKey ?? keyBytes, value: value, headers: headers,
                            timestamp: timestamp)
                    }
                }
            }
        } else {
            counters.pointee.exceptions += 1
            writer.withBytes { value in
                key.withUnsafeBytes { keyBytes in
                    send(destination, key: kafkaKey ?? keyBytes, value: value, timestamp: timestamp)
                }
            }
        }
    }
}
