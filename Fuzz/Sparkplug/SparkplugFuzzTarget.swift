// libFuzzer entry point for the Sparkplug B payload decoder and topic parser (see docs/fuzzing.md).
// Built by Fuzz/run-sparkplug.sh, not by SwiftPM (this folder is outside Sources/).

/// Fails loudly (a fuzzer finding) when an invariant does not hold.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fatalError("fuzz invariant violated: \(message())")  // deliberate crash: this is how libFuzzer records a finding
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    // Any bytes as a topic: parsed or refused, never a trap.
    _ = try? SparkplugTopic(parsing: String(decoding: bytes, as: UTF8.self))
    guard let payload = try? SparkplugPayload(decoding: bytes) else { return 0 }
    // Every value field read as every datatype: a value or an error.
    for metric in payload.metrics {
        for type in SparkplugDataType.allCases { _ = try? metric.value?.value(as: type) }
        _ = metric.properties?["Quality"]
    }
    // What was decoded encodes to bytes that decode again and encode to the same bytes.
    let encoded = payload.encoded()
    guard let again = try? SparkplugPayload(decoding: encoded) else {
        check(false, "the encoding of a decoded payload does not decode")
        return 0
    }
    check(again.encoded() == encoded, "decode ∘ encode is not stable")
    check(again.metrics.count == payload.metrics.count, "metrics lost in a round trip")
    return 0
}
