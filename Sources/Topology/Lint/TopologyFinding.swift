/// One lint finding: where, how bad, which kind, and a message saying what is wrong and what was expected.
///
/// Printed as `file:line:column: error: message` (or `warning:`).
public struct TopologyFinding: Sendable, Hashable, CustomStringConvertible {
    /// How bad a finding is: errors stop `run` and make `check` exit 1.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// The closed set of finding kinds.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The file is not valid YAML (or CSV/JSON for reference data) or cannot be read.
        case syntax
        /// A key that the section or step does not know.
        case unknownField
        /// A required key is absent.
        case missingField
        /// A value of the wrong type or outside its allowed set/range (bad duration, bad enum value, ...).
        case invalidOption
        /// A step whose kind is neither built in nor registered.
        case unknownStep
        /// A schema id or type that the registry does not have.
        case unknownSchema
        /// A table name that no `tables:` entry declares.
        case unknownTable
        /// An output name that no `outputs:` entry declares.
        case unknownOutput
        /// A source name that no `sources:` entry declares.
        case unknownSource
        /// A region name that no `regions:` entry declares.
        case unknownRegion
        /// Two entries with the same name (or two regions with the same plant, two sources on one topic...).
        case duplicateName
        /// `${VAR}` without default and the variable is not set.
        case missingEnvironmentVariable
        /// A window `groupBy` or `dedupe` key that does not contain the source's partitioning key.
        case partitionKeyMismatch
        /// A pipeline without a dead-letter output.
        case missingDeadLetter
        /// A step that writes exception records in a pipeline without an `exceptions` output.
        case missingExceptions
        /// An expression that does not parse.
        case invalidExpression
        /// A function the expression language does not have.
        case unknownFunction
        /// A function called with the wrong number of arguments.
        case wrongArity
        /// A path whose root is not a record field, alias or window name at that point of the pipeline.
        case unknownName
        /// A path into the record that names a member its schema does not have (a typo `data.good_qtty`, an
        /// `eventTime` or key field the source's records lack).
        case unknownRecordField
        /// A value used where its schema's type can never fit (`sum()` of a date-time, text multiplied).
        case typeMismatch
        /// An output schema requires a member that nothing writes: every record would be a dead letter.
        case unsatisfiableOutput
        /// An output used where another kind is required (emit to a dead-letter output, ...).
        case wrongOutputKind
        /// A secret (e.g. `sasl.password`) written as a literal instead of `{ env: NAME }` / `{ file: PATH }`.
        case literalSecret
        /// Steps in an impossible order (first step not `validate`, two windows, no `emit`, ...).
        case stepOrder
        /// A file a table or setting names does not exist.
        case missingFile
        /// Two reference rows with the same key (and the same `validFrom` for effective-dated tables).
        case duplicateKey
        /// Effective-dated rows of one key not in ascending `validFrom` order.
        case unsortedRows
        /// A reference row that lacks a key column or has a malformed value.
        case invalidRow
    }

    public var location: SourceLocation
    public var severity: Severity
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, at location: SourceLocation, severity: Severity = .error, _ message: String) {
        self.kind = kind
        self.location = location
        self.severity = severity
        self.message = message
    }

    /// `file:line:column: error: message`.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

extension TopologyFinding {
    /// Orders findings by file, line, column, then message (stable output for tools and tests).
    static func sorted(_ findings: [TopologyFinding]) -> [TopologyFinding] {
        findings.sorted { lhs, rhs in
            if lhs.location.file != rhs.location.file { return lhs.location.file < rhs.location.file }
            if lhs.location.line != rhs.location.line { return lhs.location.line < rhs.location.line }
            if lhs.location.column != rhs.location.column { return lhs.location.column < rhs.location.column }
            return lhs.message < rhs.message
        }
    }
}
