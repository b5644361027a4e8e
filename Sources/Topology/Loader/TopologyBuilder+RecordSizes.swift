extension TopologyBuilder {
    /// Room a dead letter needs besides the original value: its key, the original headers and the `ps_*` reason
    /// headers.
    static let deadLetterAllowance = 65_536
    /// librdkafka's default `message.max.bytes`.
    static let defaultMessageMaxBytes = 1_000_000

    /// Warns when a region's producer cannot carry the largest dead letter a pipeline may write: a record of
    /// `validate`'s `maxBytes` plus its key and reason headers. (Such a dead letter is not lost — it is cut to what
    /// fits, `RECORD_TOO_LARGE` — but its original bytes are.)
    mutating func lintRecordSizes(_ topology: Topology) {
        for region in topology.regions {
            var limit = Self.defaultMessageMaxBytes
            if case .literal(let text)? = region.kafka["message.max.bytes"], let value = Int(text) { limit = value }
            for pipeline in topology.pipelines {
                guard let first = pipeline.steps.first, case .validate(let options) = first.kind,
                    options.maxBytes + Self.deadLetterAllowance > limit
                else { continue }
                report(
                    .invalidOption, at: first.location,
                    "pipeline '\(pipeline.name)' takes records of up to \(options.maxBytes) bytes (maxBytes), but region "
                        + "'\(region.name)' produces at most \(limit) bytes per record (message.max.bytes): the dead "
                        + "letter of such a record with its key and reason headers would not fit and would be cut "
                        + "(RECORD_TOO_LARGE); lower maxBytes to \(max(limit - Self.deadLetterAllowance, 1)) or raise "
                        + "message.max.bytes",
                    severity: .warning)
            }
        }
    }
}
