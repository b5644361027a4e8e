/// Invalid records: corrupted copies of a valid record, sent right after it with the same key.
extension EventEncoder {
    /// The member inserted by the additionalProperties variant of a schema violation.
    private static let extraMember = Array(#""unexpectedField":true,"#.utf8)

    /// Makes an invalid copy of `slot`.
    ///
    /// - invalid schema: in a plain body one of: an unknown root member (additionalProperties), a wrong
    ///   `specVersion` (const), no `specVersion` (required); in a CloudEvents body an unknown member
    ///   of the object that is validated (additionalProperties);
    /// - invalid JSON: the body cut short;
    /// - unknown type: `type` (or `ce_type`) set to `machine.vibration`;
    /// - invalid UTF-8: the bytes `C3 28` inserted at the start of the first member name.
    static func corrupt(
        _ slot: Slot,
        as kind: SimulatedFault,
        topic: String,
        random: inout RandomSource
    ) -> SimulatedRecord {
        var value = slot.body.bytes
        var headers = slot.headers
        switch kind {
        case .invalidSchema:
            if slot.envelope == .plain {
                let prefix = Array(#"{"specVersion":"mfg/1.0","#.utf8)
                switch random.index(3) {
                case 0:
                    value.insert(contentsOf: extraMember, at: 1)
                case 1:
                    value.replaceSubrange(0..<prefix.count, with: Array(#"{"specVersion":"mfg/9.9","#.utf8))
                default:
                    value.replaceSubrange(0..<prefix.count, with: [UInt8(ascii: "{")])
                }
            } else if slot.envelope == .cloudEventsStructured, let data = find(#""data":{"#, in: value) {
                value.insert(contentsOf: extraMember, at: data)
            } else {
                value.insert(contentsOf: extraMember, at: 1)
            }
        case .invalidJSON:
            value.removeSubrange(random.int(in: 1...max(1, value.count - 1))...)
        case .unknownType:
            let unknown = Array(#""machine.vibration""#.utf8)
            if slot.envelope == .cloudEventsBinary {
                if let index = headers.firstIndex(where: { $0.name == "ce_type" }) {
                    headers[index] = SimulatedHeader(name: "ce_type", text: "machine.vibration")
                }
            } else {
                value.replaceSubrange(slot.typeRange, with: unknown)
            }
        case .invalidUTF8:
            value.insert(contentsOf: [0xC3, 0x28], at: min(2, value.count))
        case .duplicate, .outOfOrder, .late:
            break
        }
        return SimulatedRecord(
            topic: topic, key: slot.key, value: value, headers: headers, timestampMs: slot.timestampMs,
            eventType: slot.type, eventID: slot.eventID, envelope: slot.envelope, fault: kind)
    }

    /// The index just after the first occurrence of `needle` in `bytes`.
    private static func find(_ needle: String, in bytes: [UInt8]) -> Int? {
        let pattern = Array(needle.utf8)
        guard bytes.count >= pattern.count else { return nil }
        outer: for start in 0...(bytes.count - pattern.count) {
            for offset in 0..<pattern.count where bytes[start + offset] != pattern[offset] { continue outer }
            return start + pattern.count
        }
        return nil
    }
}
