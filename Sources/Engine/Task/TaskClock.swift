/// Stream time and wall-clock activity of one task, shared by its steps.
///
/// - Important: Confined to the task's thread. Its stored properties skip the dynamic exclusivity check (the
///   engine's one hot-path technique, docs/engine.md "Hot path"): nothing accesses them concurrently.
final class TaskClock {
    /// The partition's stream time: the largest event time of a valid record (`Int64.min` before any).
    @exclusivity(unchecked) var streamTime: Int64 = Int64.min
    /// Wall-clock time of the last record (idle windows).
    @exclusivity(unchecked) var lastActivity: Int64

    init(now: Int64) {
        lastActivity = now
    }

    /// Raises the stream time to `time` (a restore recovers it from state).
    func recover(streamTime time: Int64) {
        if time > streamTime { streamTime = time }
    }
}
