/// `changes:` — report by exception: a record goes on only when its value changed beyond a deadband since the
/// last record of its key that went on, or when that one is older than the heartbeat.
public struct ChangesStep: Sendable, Hashable {
    /// What a series is (must contain the source's partitioning key).
    public var key: [Expression]
    /// The value compared; numbers within the deadband of the last value passed on are no change.
    public var value: Expression
    /// Further values whose every change passes (no deadband), such as a quality.
    public var also: [Expression]
    /// Absolute deadband: a number change of at most this is no change.
    public var absolute: Expression?
    /// Percent deadband: a number change of at most this percentage of the last value passed on is no change.
    public var percent: Expression?
    /// A record passes when the last one of its key passed this long ago (event time), changed or not.
    public var heartbeat: DurationValue?
    /// The alias the last record passed of the key is bound to (`<alias>.value`, `<alias>.at`), if any.
    public var previous: String?

    public init(
        key: [Expression], value: Expression, also: [Expression] = [], absolute: Expression? = nil,
        percent: Expression? = nil, heartbeat: DurationValue? = nil, previous: String? = nil
    ) {
        self.key = key
        self.value = value
        self.also = also
        self.absolute = absolute
        self.percent = percent
        self.heartbeat = heartbeat
        self.previous = previous
    }
}
