/// Deterministic generator of realistic canonical events for `bench validate`, shaped like
/// `schemas/machine.cycle/examples/valid-v2-rework.json` and
/// `schemas/operation.reported/examples/valid-partial-with-scrap.json`: UUIDv7 event ids, RFC 3339
/// timestamps with millisecond precision and a plant offset, the ISA-95 equipment path, optional
/// envelope members present on some events only, quantities as exact decimal strings with
/// UN/ECE units.
struct BenchEvents {
    private var state: UInt64
    /// Milliseconds since the epoch of the first generated event (2026-03-14T08:00:00Z).
    private var clock: Int64 = 1_773_475_200_000

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    static let hexDigits = Array("0123456789abcdef")

    static func hex(_ value: UInt64, digits: Int) -> String {
        var text = ""
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            text.append(hexDigits[Int((value >> UInt64(shift)) & 0xF)])
        }
        return text
    }

    /// A UUIDv7 (RFC 9562): 48-bit millisecond timestamp, version 7, variant `10`, random rest.
    mutating func uuid7(milliseconds: Int64) -> String {
        let time = UInt64(milliseconds)
        let randA = next() & 0xFFF
        let variant = 0x8000 | (next() & 0x3FFF)
        let randB = next() & 0xFFFF_FFFF_FFFF
        return Self.hex(time >> 16, digits: 8) + "-" + Self.hex(time & 0xFFFF, digits: 4) + "-7"
            + Self.hex(randA, digits: 3) + "-" + Self.hex(variant, digits: 4) + "-" + Self.hex(randB, digits: 12)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// RFC 3339 local time with millisecond precision and the plant's `+01:00` offset.
    static func timestamp(_ milliseconds: Int64) -> String {
        let local = milliseconds + 3_600_000
        let inDay = Int(local % 86_400_000)
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let z = Int(local / 86_400_000) + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(year)-\(pad(month, 2))-\(pad(day, 2))T\(pad(inDay / 3_600_000, 2)):\(pad(inDay / 60_000 % 60, 2)):"
            + "\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000, 3))+01:00"
    }

    /// The envelope members up to `equipment`, plus the optional ones some producers send.
    /// `fromEdge`: the source is the machine's edge gateway (else the plant's MES).
    mutating func envelope(type: String, version: Int, fromEdge: Bool, order: String, occurred: Int64) -> String {
        let plant = "DE0\(1 + below(3))"
        let line = "L\(1 + below(6))"
        let machine = "M\(Self.pad(1 + below(40), 2))"
        let source = fromEdge ? "edge://\(plant)/\(line)/\(machine)" : "mes://\(plant)/mes1"
        var head = #"{"specVersion":"mfg/1.0","eventId":"\#(uuid7(milliseconds: occurred))","type":"\#(type)","#
        head += #""schemaVersion":\#(version),"source":"\#(source)","#
        if below(2) == 0 { head += #""sourceEventId":"TX-\#(below(10_000_000))","# }
        head += #""sourceSeq":\#(below(5_000_000)),"#
        head += #""occurredAt":"\#(Self.timestamp(occurred))","#
        head += #""ingestedAt":"\#(Self.timestamp(occurred + 50 + Int64(below(700))))","#
        head += #""plantId":"\#(plant)","equipment":{"enterpriseId":"acme","siteId":"\#(plant)","areaId":"A1","#
        head += #""lineId":"\#(line)","workCellId":"C\#(1 + below(4))","equipmentId":"\#(machine)"},"#
        if below(4) != 0 { head += #""correlationId":"\#(order)","# }
        return head
    }

    /// One `machine.cycle` v2 event (E3).
    mutating func machineCycle(_ sequence: Int) -> [UInt8] {
        clock += Int64(200 + below(800))
        let order = "10\(Self.pad(below(100_000), 5))"
        var text = envelope(type: "machine.cycle", version: 2, fromEdge: true, order: order, occurred: clock)
        let total = 1 + below(8)
        let rework = below(6) == 0 ? 1 : 0
        let scrap = below(10) == 0 ? 1 : 0
        let good = max(0, total - rework - scrap)
        text += #""data":{"cycleId":"CY-\#(Self.pad(sequence, 8))","totalCount":\#(total),"#
        text += #""goodCount":\#(good),"cycleTimeMs":\#(20_000 + below(40_000)),"#
        text += #""orderId":"\#(order)","operationId":"00\#(1 + below(9))0","#
        text += #""materialId":"FG-\#(4000 + below(1000))","reworkCount":\#(rework)"#
        if below(2) == 0 { text += #","programId":"O\#(1000 + below(9000))""# }
        text += "}}"
        return Array(text.utf8)
    }

    /// A quantity: a non-negative exact decimal string (integer or up to 3 decimals) and its unit.
    mutating func qty(_ uom: String, whole: Int, decimals: Bool) -> String {
        let value = decimals ? "\(below(whole)).\(Self.pad(below(1000), 3))" : "\(below(whole))"
        return #"{"value":"\#(value)","uom":"\#(uom)"}"#
    }

    /// One `operation.reported` v1 event (E5).
    mutating func operationReported(_ sequence: Int) -> [UInt8] {
        clock += Int64(1000 + below(4000))
        let order = "10\(Self.pad(below(100_000), 5))"
        var text = envelope(type: "operation.reported", version: 1, fromEdge: false, order: order, occurred: clock)
        let start = clock - 300_000 - Int64(below(600_000))
        let scrap = below(4) == 0 ? 1 + below(3) : 0
        text += #""data":{"orderId":"\#(order)","operationId":"00\#(1 + below(9))0","sequenceId":"0","#
        text += #""workCenterId":"WC-\#(["CNC", "MILL", "LATHE", "ASSY"][below(4)])\#(1 + below(9))","#
        text += #""interval":{"start":"\#(Self.timestamp(start))","end":"\#(Self.timestamp(clock))"},"#
        text += #""yield":\#(qty("H87", whole: 500, decimals: false)),"scrap":{"value":"\#(scrap)","uom":"H87"},"#
        text += #""rework":\#(qty("H87", whole: 3, decimals: false)),"#
        if scrap > 0 {
            let reasons = ["Tool breakage", "Surface defect", "Dimension out of tolerance", "Material flaw"]
            text += #""scrapReason":{"code":"M\#(Self.pad(1 + below(20), 2))","codeSet":"mes-DE01","#
            text += #""text":"\#(reasons[below(reasons.count)])"},"#
        }
        text += #""activities":[{"activityKey":"SETUP","duration":\#(qty("MIN", whole: 30, decimals: false))},"#
        text += #"{"activityKey":"MACHINE","duration":\#(qty("MIN", whole: 60, decimals: true))},"#
        text += #"{"activityKey":"LABOR","duration":\#(qty("HUR", whole: 2, decimals: true))}],"#
        text += #""personnelIds":["P-\#(4000 + below(1000))","P-\#(4000 + below(1000))"]}}"#
        return Array(text.utf8)
    }
}
