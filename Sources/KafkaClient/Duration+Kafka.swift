extension Duration {
    /// Milliseconds for librdkafka timeouts, rounded up and clamped to `Int32`; negative → 0.
    var kafkaMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        if millis.overflow { return Int32.max }
        let extra = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: millis.partialValue + extra)
    }
}
