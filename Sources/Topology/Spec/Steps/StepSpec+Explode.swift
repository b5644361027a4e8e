extension StepSpec {
    static let explode = StepSpec(
        name: "explode",
        summary: "Emit one record per element of an array; the element is reachable by its alias.",
        details: "The record keeps its fields; the element is added under `as`. An empty or absent array emits "
            + "nothing (counted).",
        object: ObjectSpec(
            name: "explode",
            options: [
                OptionSpec("path", .path, required: true, "The array."),
                OptionSpec("as", .name, required: true, "Name of the element in later steps."),
            ]),
        example: "- explode: { path: data.lots, as: lot }",
        build: { options, context in
            guard let path = options.path("path"), let alias = options.string("as") else { return nil }
            guard ExpressionLexer.isIdentifier(alias), !ExpressionToken.keywords.contains(alias) else {
                context.report(
                    .invalidOption, at: options.location(of: "as"),
                    "'\(alias)' is not a valid alias; use letters, digits and '_'")
                return nil
            }
            return .explode(ExplodeStep(path: path, alias: alias))
        },
        analyze: { step, options, analysis in
            guard case .explode(let explode) = step.kind else { return }
            analysis.check(.path(explode.path, options.location(of: "path")))
            analysis.define(alias: explode.alias, at: options.location(of: "as"))
        })
}
