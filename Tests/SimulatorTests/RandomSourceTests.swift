import Testing

@testable import Simulator

@Suite struct RandomSourceTests {
    @Test func aSeedAlwaysGivesTheSameSequence() {
        var first = RandomSource(seed: 42)
        var second = RandomSource(seed: 42)
        let a = (0..<1000).map { _ in first.next() }
        let b = (0..<1000).map { _ in second.next() }
        #expect(a == b)
    }

    @Test(arguments: [(UInt64(1), UInt64(0), UInt64(2), UInt64(0)), (1, 0, 1, 1), (7, 3, 7, 4)])
    func seedsAndStreamsGiveIndependentSequences(seedA: UInt64, streamA: UInt64, seedB: UInt64, streamB: UInt64) {
        var first = RandomSource(seed: seedA, stream: streamA)
        var second = RandomSource(seed: seedB, stream: streamB)
        let a = (0..<100).map { _ in first.next() }
        let b = (0..<100).map { _ in second.next() }
        #expect(Set(a).isDisjoint(with: Set(b)))
    }

    @Test func xoshiro256StarStarAndSplitMix64MatchTheirReferenceOutputs() {
        // Reference implementations (Blackman & Vigna): xoshiro256** from the state {1, 2, 3, 4} and
        // SplitMix64 from 0. A change of either would change every generated stream.
        var random = RandomSource(state: (1, 2, 3, 4))
        #expect((0..<3).map { _ in random.next() } == [11_520, 0, 1_509_978_240])
        var state: UInt64 = 0
        #expect(RandomSource.splitMix(&state) == 0xE220_A839_7B1D_CDAF)
        #expect(RandomSource.splitMix(&state) == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test(arguments: [0...0, 0...1, -5...5, 10...60, 0...999_999])
    func integersStayInTheirRange(range: ClosedRange<Int>) {
        var random = RandomSource(seed: 3)
        var seen: Set<Int> = []
        for _ in 0..<5000 {
            let value = random.int(in: range)
            #expect(range.contains(value))
            seen.insert(value)
        }
        if range.count <= 11 { #expect(seen.count == range.count) }
    }

    @Test func distributionsHaveTheirMeans() {
        var random = RandomSource(seed: 9)
        let count = 100_000
        var unit = 0.0
        var exponential = 0.0
        var normal = 0.0
        var chance = 0
        for _ in 0..<count {
            let value = random.unit()
            #expect(value >= 0 && value < 1)
            unit += value
            exponential += random.exponential(mean: 4)
            normal += random.normal(mean: 10, deviation: 2)
            if random.chance(0.05) { chance += 1 }
        }
        #expect(abs(unit / Double(count) - 0.5) < 0.01)
        #expect(abs(exponential / Double(count) - 4) < 0.1)
        #expect(abs(normal / Double(count) - 10) < 0.05)
        #expect(abs(Double(chance) / Double(count) - 0.05) < 0.005)
    }
}
