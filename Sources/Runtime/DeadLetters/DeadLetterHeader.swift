/// Header names of dead letters (docs/engine.md, "Dead letters") and of replayed records.
///
/// The engine appends the reason headers after the original record's headers; a replay removes them again
/// and adds ``replayedFrom``.
public enum DeadLetterHeader {
    /// Error code (`MALFORMED_JSON`, `SCHEMA_VIOLATION`, …).
    public static let code = "ps_error_code"
    /// JSON pointer into the record (may be empty).
    public static let path = "ps_error_path"
    /// Human-readable reason.
    public static let message = "ps_error_message"
    /// The topic the record came from.
    public static let sourceTopic = "ps_source_topic"
    /// The partition the record came from.
    public static let sourcePartition = "ps_source_partition"
    /// The offset the record came from (`from-to` for window results).
    public static let sourceOffset = "ps_source_offset"
    /// The pipeline that failed.
    public static let pipeline = "ps_pipeline"
    /// `<type>/v<N>` as received, when known.
    public static let schemaID = "ps_schema_id"
    /// Added to a replayed record: `<dlq topic>/<partition>/<offset>` of the dead letter it came from.
    public static let replayedFrom = "ps_replayed_from"

    /// The reason headers the engine adds; a replay removes them.
    public static let reasonHeaders: Set<String> = [
        code, path, message, sourceTopic, sourcePartition, sourceOffset, pipeline, schemaID,
    ]
}
