import Foundation
import JSON
import Timekeeping
import Topology

/// Runs the declarative tests of ``Topology/TopologyTestFile``s on the engine through ``TopologyTestDriver``, without
/// a broker: each test on a fresh engine, its steps in order, every failure with the line and column of the
/// expectation (or step) it concerns.
///
/// Dead letters and exceptions a test does not expect fail it: a test that passes has accounted for every record
/// that went to a dead-letter or exceptions output.
public struct TopologyTestRunner {
    /// A failed expectation or step.
    public struct Failure: Sendable, CustomStringConvertible {
        public var location: SourceLocation
        public var message: String
        /// Expected and actual records, one per line.
        public var details: [String]

        public var description: String {
            (["\(location): \(message)"] + details.map { "    " + $0 }).joined(separator: "\n")
        }
    }

    /// The outcome of one test.
    public struct Result: Sendable {
        public var name: String
        public var location: SourceLocation
        public var failures: [Failure]
        /// Wall time the test took, in milliseconds.
        public var milliseconds: Double

        public var passed: Bool { failures.isEmpty }
    }

    let topology: Topology
    let schemasDirectory: String
    let referenceDirectory: String?

    /// Creates a runner for `topology` with its schema catalogue and reference files.
    public init(topology: Topology, schemasDirectory: String, referenceDirectory: String?) {
        self.topology = topology
        self.schemasDirectory = schemasDirectory
        self.referenceDirectory = referenceDirectory
    }

    /// Runs every test of `file`.
    public func run(_ file: TopologyTestFile) -> [Result] {
        file.tests.map { test in
            let started = ContinuousClock.now
            let failures = run(test, of: file)
            let elapsed = ContinuousClock.now - started
            let milliseconds =
                Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            return Result(name: test.name, location: test.location, failures: failures, milliseconds: milliseconds)
        }
    }

    private func names(of kind: Output.Kind) -> Set<String> {
        Set(topology.outputs.filter { $0.kind == kind }.map(\.name))
    }

    private func run(_ test: TopologyTestCase, of file: TopologyTestFile) -> [Failure] {
        var failures: [Failure] = []
        var start: Int64 = 0
        if let text = file.start {
            guard let instant = Self.instant(text.text) else {
                return [Failure(location: text.location, message: "start: expected RFC 3339 or epoch ms", details: [])]
            }
            start = instant
        }
        let driver: TopologyTestDriver
        do {
            driver = try TopologyTestDriver(
                topology: topology, region: file.region, schemasDirectory: schemasDirectory,
                referenceDirectory: referenceDirectory, tables: file.tables, wallClock: start)
        } catch {
            return [Failure(location: test.location, message: "the engine cannot start: \(error)", details: [])]
        }
        let deadLetterOutputs = names(of: .deadLetter)
        let exceptionOutputs = names(of: .exceptions)
        func written(_ target: TestExpectation.Target) -> [TestRecord] {
            switch target {
            case .output(let name): driver.records(output: name)
            case .deadLetters: driver.allRecords.filter { deadLetterOutputs.contains($0.name) && $0.kind != .changelog }
            case .exceptions: driver.allRecords.filter { exceptionOutputs.contains($0.name) && $0.kind != .changelog }
            }
        }
        var read: [TestExpectation.Target: Int] = [:]
        let folder = (file.path as NSString).deletingLastPathComponent
        for step in test.steps {
            switch step {
            case .send(let input):
                if let failure = send(input, to: driver, folder: folder) { failures.append(failure) }
            case .advance(let duration, _):
                driver.advanceWallClock(by: duration.milliseconds)
            case .expect(let expectation):
                let records = written(expectation.target)
                let new = Array(records.dropFirst(read[expectation.target, default: 0]))
                read[expectation.target] = records.count
                failures += check(expectation, against: new)
            }
        }
        for (target, what) in [(TestExpectation.Target.deadLetters, "dead letter"), (.exceptions, "exception")] {
            let unexpected = written(target).dropFirst(read[target, default: 0])
            guard !unexpected.isEmpty else { continue }
            failures.append(
                Failure(
                    location: test.location,
                    message: "\(unexpected.count) \(what)\(unexpected.count == 1 ? "" : "s") the test does not expect",
                    details: unexpected.prefix(5).map(Self.summary)))
        }
        return failures
    }

    private func send(_ input: TestInput, to driver: TopologyTestDriver, folder: String) -> Failure? {
        guard let source = topology.source(named: input.source) else {
            return Failure(location: input.location, message: "no source named \(input.source)", details: [])
        }
        var value: [UInt8]?
        switch input.value {
        case .json(let json):
            var writer = JSONWriter()
            writer.value(json)
            value = writer.bytes
        case .text(let text): value = Array(text.utf8)
        case .bytes(let bytes): value = bytes
        case .file(let path):
            let resolved = path.hasPrefix("/") ? path : folder + "/" + path
            guard let data = FileManager.default.contents(atPath: resolved) else {
                return Failure(location: input.location, message: "cannot read \(resolved)", details: [])
            }
            value = Array(data)
        case .tombstone: value = nil
        }
        var timestamp: Int64?
        if let text = input.timestamp {
            guard let instant = Self.instant(text.text) else {
                return Failure(
                    location: text.location, message: "timestamp: expected RFC 3339 or epoch ms, found \(text.text)",
                    details: [])
            }
            timestamp = instant
        }
        do {
            try driver.pipe(
                topic: source.topic, key: input.key, value: value,
                headers: input.headers.map { ($0.name, Array($0.value.utf8)) }, partition: input.partition,
                timestamp: timestamp)
        } catch {
            return Failure(location: input.location, message: "cannot send: \(error)", details: [])
        }
        return nil
    }

    // MARK: Comparing

    private func check(_ expectation: TestExpectation, against records: [TestRecord]) -> [Failure] {
        let what: String
        switch expectation.target {
        case .output(let name): what = "output \(name)"
        case .deadLetters: what = "dead letters"
        case .exceptions: what = "exceptions"
        }
        let exact = expectation.match == .exact
        guard records.count == expectation.records.count else {
            let count = expectation.records.count
            return [
                Failure(
                    location: expectation.location,
                    message: "\(what): expected \(count) record\(count == 1 ? "" : "s"), got \(records.count)",
                    details: records.prefix(5).map(Self.summary))
            ]
        }
        var failures: [Failure] = []
        switch expectation.order {
        case .inOrder:
            for (index, (expected, record)) in zip(expectation.records, records).enumerated() {
                if let difference = Self.difference(expected, record, exact: exact) {
                    failures.append(
                        Failure(
                            location: expected.location, message: "\(what), record \(index + 1): \(difference)",
                            details: Self.details(expected, record)))
                }
            }
        case .any:
            var unused = Array(records.indices)
            for expected in expectation.records {
                if let found = unused.firstIndex(where: { Self.difference(expected, records[$0], exact: exact) == nil })
                {
                    unused.remove(at: found)
                    continue
                }
                let closest = unused.first.map { records[$0] }
                failures.append(
                    Failure(
                        location: expected.location,
                        message: "\(what): no record matches"
                            + (closest.flatMap { Self.difference(expected, $0, exact: exact) }.map {
                                " (first left: \($0))"
                            }
                                ?? ""),
                        details: closest.map { Self.details(expected, $0) } ?? []))
            }
        }
        return failures
    }

    /// Where `record` differs from `expected`, or `nil` when it matches.
    static func difference(_ expected: ExpectedRecord, _ record: TestRecord, exact: Bool) -> String? {
        if let key = expected.key, key != record.keyString {
            return "key: expected \(quoted(key)), got \(record.keyString.map(quoted) ?? "null")"
        }
        for header in expected.headers where record.header(header.name) != header.value {
            return
                "header \(header.name): expected \(quoted(header.value)), got \(record.header(header.name).map(quoted) ?? "none")"
        }
        guard let value = expected.value else { return nil }
        guard let actual = record.json else {
            if case .string(let text) = value, text == record.valueString { return nil }
            return "value: expected \(value), got \(record.valueString.map(quoted) ?? "null") (not JSON)"
        }
        return difference(value, actual, exact: exact, path: "")
    }

    package static func difference(_ expected: JSONValue, _ actual: JSONValue, exact: Bool, path: String) -> String? {
        let at = path.isEmpty ? "value" : "at \(path)"
        switch (expected, actual) {
        case (.object(let expectedObject), .object(let actualObject)):
            for member in expectedObject.members {
                let memberPath = path + "/" + member.key
                guard let found = actualObject[member.key] else {
                    return "at \(memberPath): expected \(member.value), missing"
                }
                if let difference = difference(member.value, found, exact: exact, path: memberPath) {
                    return difference
                }
            }
            if exact, let extra = actualObject.members.first(where: { expectedObject[$0.key] == nil }) {
                return "at \(path)/\(extra.key): not expected (match: exact), got \(extra.value)"
            }
            return nil
        case (.array(let expectedElements), .array(let actualElements)):
            guard expectedElements.count == actualElements.count else {
                return "\(at): expected \(expectedElements.count) elements, got \(actualElements.count)"
            }
            for (index, (left, right)) in zip(expectedElements, actualElements).enumerated() {
                if let difference = difference(left, right, exact: exact, path: "\(path)/\(index)") {
                    return difference
                }
            }
            return nil
        case (.number(let left), .number(let right)):
            if left.description == right.description { return nil }
            if let a = Double(left.description), let b = Double(right.description), a == b { return nil }
            return "\(at): expected \(left), got \(right)"
        default:
            return expected == actual ? nil : "\(at): expected \(expected), got \(actual)"
        }
    }

    private static func details(_ expected: ExpectedRecord, _ record: TestRecord) -> [String] {
        var lines: [String] = []
        if let value = expected.value { lines.append("expected \(value)") }
        lines.append("got      \(summary(record))")
        return lines
    }

    /// A record in one line: key, the error code or exception kind, and the value (cut at 400 characters).
    static func summary(_ record: TestRecord) -> String {
        var parts: [String] = []
        if let key = record.keyString { parts.append("key \(quoted(key))") }
        if let code = record.header("ps_error_code") {
            let path = record.header("ps_error_path").map { $0.isEmpty ? "" : " at \($0)" } ?? ""
            parts.append("\(code)\(path): \(record.header("ps_error_message") ?? "")")
        }
        let value = record.valueString ?? "null"
        parts.append(value.count > 400 ? String(value.prefix(400)) + "…" : value)
        return parts.joined(separator: " ")
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }

    static func instant(_ text: String) -> Int64? {
        if let milliseconds = Int64(text) { return milliseconds }
        var text = text
        return text.withUTF8 { RFC3339.parse(UnsafeRawBufferPointer($0)) }
    }
}
