import Sparkplug
import Testing

@Suite struct SparkplugTopicTests {
    @Test func nodeAndDeviceTopicsParse() throws {
        let node = try #require(try SparkplugTopic(parsing: "spBv1.0/DE01/NBIRTH/press-line-1"))
        #expect(node == SparkplugTopic(group: "DE01", messageType: .nodeBirth, edgeNode: "press-line-1"))
        let device = try #require(try SparkplugTopic(parsing: "spBv1.0/DE01/DDATA/press-line-1/PRESS-07"))
        #expect(device.device == "PRESS-07" && device.messageType == .deviceData)
        #expect(device.description == "spBv1.0/DE01/DDATA/press-line-1/PRESS-07")
    }

    @Test func hostStateTopicsAreNotEdgeData() throws {
        #expect(try SparkplugTopic(parsing: "spBv1.0/STATE/scada-host") == nil)
    }

    @Test(arguments: [
        ("spAv1.0/G/NDATA/E", "does not start with spBv1.0/"),
        ("spBv1.0/G/NDATA", "is not spBv1.0/<group>/<message type>/<edge node>[/<device>]"),
        ("spBv1.0/G/NDATA/E/D", "NDATA topics have no device id"),
        ("spBv1.0/G/DDATA/E", "DDATA topics need a device id"),
        ("spBv1.0/G/XDATA/E", "is no message type"),
        ("spBv1.0/G/NDATA/+", "has an empty id or a wildcard"),
    ])
    func invalidTopicsSayWhy(text: String, expected: String) {
        do {
            _ = try SparkplugTopic(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.message.contains(expected), "\(error)")
        }
    }
}
