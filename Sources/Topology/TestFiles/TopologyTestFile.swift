import JSON

/// A file of declarative topology tests (`tests/*.yaml` beside the topology), run by `plantstream test`: cases of
/// input records, wall-clock advances and expectations on what the pipelines wrote.
public struct TopologyTestFile: Sendable {
    /// The file as given to the loader.
    public var path: String
    /// The region to run (default: the topology's first).
    public var region: String?
    /// The wall clock when each test starts (RFC 3339 or epoch ms; default: 0).
    public var start: TestText?
    /// Rows replacing a table's rows, per table name (reference files are loaded as well).
    public var tables: [String: [JSONValue]]
    public var tests: [TopologyTestCase]
}

/// A scalar of a test file with where it was written (parsed when the test runs).
public struct TestText: Sendable {
    public var text: String
    public var location: SourceLocation
}

/// One test: steps run in order on a fresh engine.
public struct TopologyTestCase: Sendable {
    public var name: String
    public var location: SourceLocation
    public var steps: [TopologyTestStep]
}

/// A step of a test.
public enum TopologyTestStep: Sendable {
    /// A record into a source's topic.
    case send(TestInput)
    /// The wall clock moves forward (idle timeouts, wall-clock windows).
    case advance(DurationValue, at: SourceLocation)
    /// What the pipelines wrote since the last expectation of the same target.
    case expect(TestExpectation)
}

/// A record header.
public struct TestHeader: Sendable, Hashable {
    public var name: String
    public var value: String
}

/// A record a test sends.
public struct TestInput: Sendable {
    /// The record value.
    public enum Value: Sendable {
        /// A YAML mapping or list, written as compact JSON.
        case json(JSONValue)
        /// Text as written (malformed JSON, a foreign format).
        case text(String)
        /// The bytes of a file, relative to the test file's folder.
        case file(String)
        /// Bytes written as base64 (a binary payload such as Sparkplug B protobuf).
        case bytes([UInt8])
        /// A tombstone (no value).
        case tombstone
    }

    /// The topology source whose topic the record goes to.
    public var source: String
    public var key: String?
    public var value: Value
    public var headers: [TestHeader]
    /// The Kafka timestamp (RFC 3339 or epoch ms; default: the wall clock).
    public var timestamp: TestText?
    public var partition: Int32
    public var location: SourceLocation
}

/// Records expected on an output (or on every dead-letter or exceptions output) since the last expectation of it.
public struct TestExpectation: Sendable {
    /// What is read.
    public enum Target: Sendable, Hashable {
        /// The topology output of this name.
        case output(String)
        /// Every output of kind `dead_letter`, in the order written.
        case deadLetters
        /// Every output of kind `exceptions`, in the order written.
        case exceptions
    }

    /// How a record's value is compared.
    public enum Match: String, Sendable, CaseIterable {
        /// The expected members, at any depth, are in the record with these values (others may be too).
        case subset
        /// The value is exactly the expected JSON.
        case exact
    }

    /// Whether the records must come in the order listed.
    public enum Order: String, Sendable, CaseIterable {
        case inOrder = "in_order"
        case any
    }

    public var target: Target
    public var match: Match
    public var order: Order
    /// Exactly these records (as many as listed), no more.
    public var records: [ExpectedRecord]
    public var location: SourceLocation
}

/// One expected record: only what is given is compared.
public struct ExpectedRecord: Sendable {
    public var key: String?
    public var value: JSONValue?
    public var headers: [TestHeader]
    public var location: SourceLocation
}
