extension SchemasError.Code {
    /// A schema or subject file could not be read.
    public static let unreadableFile = SchemasError.Code("unreadableFile")
    /// `subject.yaml` is not well-formed YAML.
    public static let invalidYAML = SchemasError.Code("invalidYAML")
    /// `subject.yaml` is YAML but not a valid subject (unknown key, wrong value, bad rule).
    public static let invalidSubject = SchemasError.Code("invalidSubject")
    /// A schema file breaks a catalogue convention (`$id`, `$schema`, version gap, file name).
    public static let invalidCatalog = SchemasError.Code("invalidCatalog")
    /// A schema id that is not `<type>/v<N>`.
    public static let invalidSchemaID = SchemasError.Code("invalidSchemaID")
    /// A schema id whose type or version the registry does not have.
    public static let unknownSchema = SchemasError.Code("unknownSchema")
    /// An event could not be upcast.
    public static let upcastFailed = SchemasError.Code("upcastFailed")
}
