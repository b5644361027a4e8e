import Testing

@testable import Simulator

@Suite struct EventIDTests {
    @Test func idsAreVersion7UUIDsCarryingTheirMilliseconds() {
        var random = RandomSource(seed: 1)
        for ms in [Int64(0), 1_742_187_600_526, 4_102_444_800_000] {
            let id = EventID(milliseconds: ms, random: &random)
            let text = id.description
            #expect(text.count == 36)
            let characters = Array(text)
            #expect([8, 13, 18, 23].allSatisfy { characters[$0] == "-" })
            #expect(characters[14] == "7")
            #expect("89ab".contains(characters[19]))
            #expect(text.allSatisfy { "0123456789abcdef-".contains($0) })
            #expect(id.milliseconds == ms)
        }
    }

    @Test func idsOfOneInstantDiffer() {
        var random = RandomSource(seed: 2)
        let ids = (0..<10_000).map { _ in EventID(milliseconds: 1_742_187_600_000, random: &random) }
        #expect(Set(ids).count == ids.count)
    }
}
