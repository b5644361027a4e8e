import Testing

@testable import Topology

@Suite struct EnvironmentSubstitutionTests {
    @Test(arguments: [
        ("${HOST}:9092", "broker:9092"),
        ("${MISSING:-127.0.0.1}:9092", "127.0.0.1:9092"),
        ("${EMPTY:-x}", ""),
        ("${MISSING:-}", ""),
        ("plain", "plain"),
        ("cost $5", "cost $5"),
        ("$${HOST}", "${HOST}"),
        ("${HOST}${HOST}", "brokerbroker"),
    ])
    func substitutes(input: String, expected: String) {
        let (text, problems) = EnvironmentSubstitution.apply(to: input, environment: ["HOST": "broker", "EMPTY": ""])
        #expect(text == expected)
        #expect(problems.isEmpty)
    }

    @Test func reportsMissingAndMalformedWithOffsets() {
        let (_, problems) = EnvironmentSubstitution.apply(to: "a ${NOPE} ${1BAD} ${OPEN", environment: [:])
        #expect(
            problems == [
                .init(kind: .missing("NOPE"), offset: 2),
                .init(
                    kind: .malformed(
                        "'${1BAD}' is not a variable reference; expected ${NAME} or ${NAME:-default} with NAME of "
                            + "letters, digits and '_'"), offset: 10),
                .init(kind: .malformed("'${' without a closing '}'"), offset: 18),
            ])
    }
}
