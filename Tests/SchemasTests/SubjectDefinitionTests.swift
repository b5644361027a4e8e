import JSON
import Testing

@testable import Schemas

@Suite struct SubjectDefinitionTests {
    private func parse(_ yaml: String) throws(SchemasError) -> SubjectDefinition {
        try SubjectDefinition.parse(yaml: yaml, file: "s.yaml")
    }

    private let header = "subject: a.b\nkind: event\ndescription: d\nowner: o\n"

    @Test func aFullSubjectParses() throws {
        let subject = try parse(
            header + """
                compatibility: FULL_TRANSITIVE
                upcast:
                  - from: 2
                    rules:
                      - remove: /data/old
                  - from: 1
                    to: 2
                    rules:
                      - add: /data/n
                        default: 0
                      - add: /data/s
                        default: "0"
                      - add: /data/o
                        default: {a: [1, true, null, x]}
                      - rename: /data/a/*/b
                        to: /data/a/*/c
                """)
        #expect(subject.name == "a.b")
        #expect(subject.kind == .event)
        #expect(subject.compatibility == .fullTransitive)
        #expect(subject.upcastSteps.map(\.from) == [1, 2])
        #expect(
            subject.upcastSteps[0].rules == [
                .add(UpcastPath("/data/n")!, default: 0),
                .add(UpcastPath("/data/s")!, default: "0"),
                .add(UpcastPath("/data/o")!, default: try JSONValue(parsing: #"{"a":[1,true,null,"x"]}"#)),
                .rename(UpcastPath("/data/a/*/b")!, to: UpcastPath("/data/a/*/c")!),
            ])
        #expect(subject.upcastSteps[1].rules == [.remove(UpcastPath("/data/old")!)])
        #expect(subject.ruleLocations[0].map(\.line) == [13, 15, 17, 19])
        #expect(subject.ruleLocations[1].first == SubjectDefinition.RuleLocation(line: 9, column: 9))
    }

    @Test func compatibilityDefaultsToBackward() throws {
        #expect(try parse(header).compatibility == .backward)
    }

    @Test(arguments: [
        ("subject: a.b\nkind: event\n", "s.yaml:1:1", "missing key \"description\""),
        ("subject: a.b\nkind: thing\ndescription: d\nowner: o\n", "s.yaml:2:7", "unknown kind \"thing\""),
        (
            "subject: a.b\nkind: event\ndescription: d\nowner: o\ncompatibility: SIDEWAYS\n", "s.yaml:5:16",
            "unknown compatibility \"SIDEWAYS\""
        ),
        ("subject: a.b\nkind: event\ndescription: d\nowner: o\ncolour: red\n", "s.yaml:5:1", "unknown key \"colour\""),
        (
            "subject: a.b\nkind: definitions\ndescription: d\nowner: o\nupcast: []\n", "s.yaml:5:9",
            "a definitions subject has no upcast rules"
        ),
        (
            "subject: a.b\nkind: event\ndescription: d\nowner: o\nupcast:\n  - from: 1\n    to: 3\n    rules: []\n",
            "s.yaml:7:9", "a step goes from v1 to v2"
        ),
        (
            "subject: a.b\nkind: event\ndescription: d\nowner: o\nupcast:\n  - from: 1\n    rules:\n      - add: data/x\n        default: 1\n",
            "s.yaml:8:14", "\"data/x\" is not a JSON pointer"
        ),
        (
            "subject: a.b\nkind: event\ndescription: d\nowner: o\nupcast:\n  - from: 1\n    rules:\n      - add: /x\n",
            "s.yaml:8:9", "add needs default"
        ),
        (
            "subject: a.b\nkind: event\ndescription: d\nowner: o\nupcast:\n  - from: 1\n    rules:\n      - remove: /x\n        add: /y\n",
            "s.yaml:8:9", "a rule has exactly one of add, rename, remove"
        ),
        (
            "subject: a.b\nkind: event\ndescription: d\nowner: o\nupcast:\n  - from: 1\n    rules:\n      - rename: /a/*/x\n        to: /b\n",
            "s.yaml:9:13", "rename source and destination need the same number of * tokens"
        ),
        (
            "subject: a.b\nkind: event\ndescription: d\nowner: o\nupcast:\n  - from: 1\n    rules:\n      - remove: /a/*\n",
            "s.yaml:8:17", "a rule path must end with a member name"
        ),
        ("subject: [a\n", "s.yaml:2:1", "invalid YAML"),
        ("- a\n- b\n", "s.yaml:1:1", "expected a mapping"),
    ])
    func mistakesAreLocated(_ yaml: String, _ location: String, _ message: String) {
        do {
            _ = try parse(yaml)
            Issue.record("parsed")
        } catch {
            #expect(error.file == location)
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }
}
