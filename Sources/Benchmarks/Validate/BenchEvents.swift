/// Deterministic generator of realistic canonical events for `bench validate`.
struct BenchEvents {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        var text = ""
        for index in 0..<32 {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append("-") }
            text.append(index == 12 ? "7" : hex[below(16)])
        }
        return text
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    mutating func timestamp(second: Int) -> String {
        let minute = second / 60 % 60
        let hour = 6 + second / 3600 % 12
        return "2026-03-\(Self.pad(1 + below(28), 2))T\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):"
            + "\(Self.pad(second % 60, 2)).\(Self.pad(below(1000), 3))Z"
    }

    mutating func envelope(type: String, sequence: Int, order: String) -> (head: String, tail: String) {
        let plant = "DE0\(1 + below(4))"
        let line = "L\(1 + below(6))"
        let machine = "M\(Self.pad(1 + below(40), 2))"
        let second = below(40_000)
        var head = #"{"specVersion":"mfg/1.0","eventId":"\#(uuid())","type":"\#(type)","schemaVersion":1,"#
        head += #""source":"edge://\#(plant)/\#(line)/\#(machine)","sourceSeq":\#(sequence),"#
        head += #""occurredAt":"\#(timestamp(second: second))","ingestedAt":"\#(timestamp(second: second + 1))","#
        head += #""plantId":"\#(plant)","equipment":{"enterpriseId":"acme","siteId":"\#(plant)","areaId":"A1","#
        head += #""lineId":"\#(line)","workCellId":"WC\#(1 + below(3))","equipmentId":"\#(machine)"},"#
        head += #""correlationId":"\#(order)","#
        return (head, "}")
    }

    /// One `machine.cycle` event (E3).
    mutating func machineCycle(_ sequence: Int) -> [UInt8] {
        let order = "10\(Self.pad(below(100_000), 5))"
        let (head, tail) = envelope(type: "machine.cycle", sequence: sequence, order: order)
        let total = 1 + below(24)
        var data = #""data":{"cycleId":"CY-\#(Self.pad(sequence, 9))","totalCount":\#(total),"#
        data += #""goodCount":\#(total - below(2)),"cycleTimeMs":\#(800 + below(9000)),"#
        data += #""orderId":"\#(order)","operationId":"00\#(1 + below(9))0","materialId":"MAT-\#(below(10_000))"}"#
        return Array((head + data + tail).utf8)
    }

    mutating func qty(_ uom: String, _ whole: Int) -> String {
        #"{"value":"\#(below(whole)).\#(Self.pad(below(1000), 3))","uom":"\#(uom)"}"#
    }

    /// One `operation.reported` event (E5).
    mutating func operationReported(_ sequence: Int) -> [UInt8] {
        let order = "10\(Self.pad(below(100_000), 5))"
        let (head, tail) = envelope(type: "operation.reported", sequence: sequence, order: order)
        let second = below(40_000)
        var data = #""data":{"orderId":"\#(order)","operationId":"00\#(1 + below(9))0","sequenceId":"0","#
        data += #""workCenterId":"WC-\#(below(50))","#
        data += #""interval":{"start":"\#(timestamp(second: second))","end":"\#(timestamp(second: second + 600))"},"#
        data += #""yield":\#(qty("PCE", 500)),"scrap":\#(qty("PCE", 5)),"rework":\#(qty("PCE", 3)),"#
        data += #""scrapReason":{"code":"SC\#(below(20))","codeSet":"mes-DE01","text":"surface defect"},"#
        data += #""activities":[{"activityKey":"SETUP","duration":\#(qty("MIN", 30))},"#
        data += #"{"activityKey":"MACHINE","duration":\#(qty("MIN", 600))},"#
        data += #"{"activityKey":"LABOR","duration":\#(qty("HUR", 8))}],"#
        data += #""personnelIds":["P\#(below(9000))","P\#(below(9000))"]}"#
        return Array((head + data + tail).utf8)
    }
}
