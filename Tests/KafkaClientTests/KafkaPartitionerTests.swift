import KafkaClient
import Testing

@Suite struct KafkaPartitionerTests {
    /// Vectors from Kafka's `UtilsTest.testMurmur2` (Java, signed 32-bit results).
    @Test(arguments: [
        ("21", -973_932_308),
        ("foobar", -790_332_482),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
    ])
    func murmur2MatchesJava(key: String, expected: Int32) {
        let hash = Array(key.utf8).withUnsafeBytes { KafkaPartitioner.murmur2($0) }
        #expect(Int32(bitPattern: hash) == expected)
    }

    @Test func partitionIsWithinRange() {
        for index in 0..<1000 {
            let partition = KafkaPartitioner.partition(forKey: "key-\(index)", partitionCount: 7)
            #expect((0..<7).contains(partition))
        }
    }
}
