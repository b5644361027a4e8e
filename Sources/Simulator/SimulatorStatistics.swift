/// What the simulator has emitted so far, counted as records leave it.
public struct SimulatorStatistics: Sendable, Hashable {
    /// Records emitted (events, duplicates and invalid records).
    public internal(set) var records: Int = 0
    /// Value bytes emitted.
    public internal(set) var bytes: Int = 0
    /// Events per type: every original event once (duplicates and invalid copies are not counted here).
    public internal(set) var eventsByType: [Int] = Array(repeating: 0, count: EventType.allCases.count)
    /// Records per fault kind (`out_of_order` and `late` count delayed events, which are also in
    /// ``eventsByType``).
    public internal(set) var faults: [Int] = Array(repeating: 0, count: SimulatedFault.allCases.count)
    /// Records per envelope mode.
    public internal(set) var envelopes: [Int] = Array(repeating: 0, count: SimulatedEnvelope.allCases.count)
    /// `machine.cycle` events written as schema v1.
    public internal(set) var cycleV1: Int = 0
    /// The topics records go to (sorted), parallel to ``recordsPerTopic``.
    public internal(set) var topics: [String] = []
    /// Records per topic, parallel to ``topics``.
    public internal(set) var recordsPerTopic: [Int] = []
    /// Delayed or duplicate records still held back (not yet emitted).
    public internal(set) var pending: Int = 0
    /// Sparkplug DATA messages the simulated MQTT link lost (each a sequence gap).
    public internal(set) var sparkplugLost: Int = 0
    /// Sparkplug edge node reconnects (NDEATH, then rebirth).
    public internal(set) var sparkplugReconnects: Int = 0

    /// Records per topic name.
    public var recordsByTopic: [String: Int] { Dictionary(uniqueKeysWithValues: zip(topics, recordsPerTopic)) }

    /// Events of one type.
    public func events(_ type: EventType) -> Int { eventsByType[type.rawValue] }

    /// Records of one fault kind.
    public func count(_ fault: SimulatedFault) -> Int { faults[fault.rawValue] }

    /// Events emitted (records minus duplicates and invalid records).
    public var events: Int { eventsByType.reduce(0, +) }

    /// Invalid records of every kind.
    public var invalid: Int { SimulatedFault.invalidKinds.reduce(0) { $0 + count($1) } }

    /// One short line: `sent 12,345 | cycle 8,000 state 900 … | dup 600 ooo 200 late 100 inv 12`.
    public var shortSummary: String {
        var parts: [String] = []
        for type in EventType.allCases where events(type) > 0 {
            parts.append("\(type.shortName) \(events(type))")
        }
        var faultParts: [String] = []
        if count(.duplicate) > 0 { faultParts.append("dup \(count(.duplicate))") }
        if count(.outOfOrder) > 0 { faultParts.append("ooo \(count(.outOfOrder))") }
        if count(.late) > 0 { faultParts.append("late \(count(.late))") }
        if invalid > 0 { faultParts.append("inv \(invalid)") }
        return parts.joined(separator: " ") + (faultParts.isEmpty ? "" : " | " + faultParts.joined(separator: " "))
    }

    /// A multi-line table of events per type and records per fault kind.
    public var report: String {
        var lines: [String] = ["events by type:"]
        for type in EventType.allCases where events(type) > 0 {
            lines.append("  " + type.name.padding(26) + String(events(type)))
        }
        lines.append("  " + "total".padding(26) + String(events))
        lines.append("faults:")
        for fault in SimulatedFault.allCases {
            lines.append("  " + fault.name.padding(26) + String(count(fault)))
        }
        lines.append("envelopes:")
        for envelope in SimulatedEnvelope.allCases {
            lines.append("  " + envelope.description.padding(26) + String(envelopes[envelope.rawValue]))
        }
        lines.append("  " + "machine.cycle as v1".padding(26) + String(cycleV1))
        if envelopes[SimulatedEnvelope.sparkplugB.rawValue] > 0 {
            lines.append("sparkplug:")
            lines.append("  " + "DATA messages lost".padding(26) + String(sparkplugLost))
            lines.append("  " + "reconnects".padding(26) + String(sparkplugReconnects))
        }
        lines.append("topics:")
        for (topic, count) in zip(topics, recordsPerTopic) {
            lines.append("  " + topic.padding(26) + String(count))
        }
        lines.append("records: \(records) (\(bytes) value bytes); held back at stop: \(pending)")
        return lines.joined(separator: "\n")
    }

    mutating func count(
        record type: EventType, topic: Int, fault: SimulatedFault?, envelope: SimulatedEnvelope, bytes: Int
    ) {
        records += 1
        recordsPerTopic[topic] += 1
        self.bytes += bytes
        envelopes[envelope.rawValue] += 1
        if let fault {
            faults[fault.rawValue] += 1
            if fault == .duplicate || fault.isInvalid { return }
        }
        eventsByType[type.rawValue] += 1
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
