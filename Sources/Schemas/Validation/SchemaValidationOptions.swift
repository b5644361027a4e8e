/// Options that change what a compiled schema asserts.
public struct SchemaValidationOptions: Sendable, Hashable {
    /// Whether `format` is an assertion (`true`) or only an annotation (`false`, the 2020-12 default).
    ///
    /// Asserted formats: date-time, date, time (RFC 3339, leap seconds checked), uuid, email, ipv4,
    /// ipv6 and hostname (RFC 1123 plus IDNA2008 A-labels). Every other format stays an annotation.
    public var formatAssertion: Bool

    /// The dialect assumed for resources without `$schema` (only 2020-12 is supported).
    public var defaultDialect: String

    /// Creates options.
    /// - Parameter formatAssertion: Assert `format` (default `true`: PlantStream relies on
    ///   date-time and uuid checks for timestamps and event ids).
    public init(formatAssertion: Bool = true, defaultDialect: String = SchemaCompiler.dialect202012) {
        self.formatAssertion = formatAssertion
        self.defaultDialect = defaultDialect
    }
}
