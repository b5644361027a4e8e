import Foundation

/// The repository's `topology.yaml` made independent for one test run: its own application id (consumer
/// group and changelogs) and its own output and table topics, reading the shared input topics, with absolute
/// schema and reference paths.
struct FixtureTopology {
    /// The output and table topics of the default topology.
    static let outputTopics = [
        "erp.txn.v1", "erp.txn.exception.v1", "mfg.dlq.v1", "mfg.lotstatus.v1", "mfg.holdindex.v1", "mfg.oee.v1",
    ]

    /// The topology file written.
    let path: String
    /// `application:`.
    let application: String
    /// Prefix of the output and table topics.
    let prefix: String

    /// Writes the fixture.
    ///
    /// - Parameters:
    ///   - application: The application id.
    ///   - prefix: Prefix for output and table topics (`a.` → `a.erp.txn.v1`).
    ///   - directory: Where to write `topology.yaml`.
    init(application: String, prefix: String, directory: String) throws {
        let root = RuntimeTestPaths.packageRoot
        var text = try String(contentsOfFile: root + "/topology.yaml", encoding: .utf8)
        func replace(_ old: String, _ new: String) throws {
            guard text.contains(old) else { throw HarnessError("topology.yaml no longer contains '\(old)'") }
            text = text.replacingOccurrences(of: old, with: new)
        }
        try replace("application: plantstream\n", "application: \(application)\n")
        try replace("schemas: schemas\n", "schemas: \(root)/schemas\n")
        try replace("reference: reference\n", "reference: \(root)/reference\n")
        for topic in Self.outputTopics {
            try replace("topic: \(topic)\n", "topic: \(prefix)\(topic)\n")
        }
        path = directory + "/topology-\(application).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        self.application = application
        self.prefix = prefix
    }

    /// A prefixed output topic.
    func topic(_ name: String) -> String { prefix + name }
}
