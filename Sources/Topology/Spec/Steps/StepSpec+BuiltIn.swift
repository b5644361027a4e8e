extension StepSpec {
    /// The built-in steps, in the order the reference lists them.
    public static let builtIn: [StepSpec] = [
        validate, normalize, dedupe, filter, changes, explode, window, enrich, hold, map, emit,
    ]

    static let builtInNames: Set<String> = Set(builtIn.map(\.name))

    /// Options common to specs: the location of an option or of the step.
    static func expressions(_ options: ParsedOptions, _ name: String) -> [Expression] {
        options.expressions(name) ?? []
    }
}
