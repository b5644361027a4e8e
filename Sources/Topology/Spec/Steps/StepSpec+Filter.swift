extension StepSpec {
    static let filter = StepSpec(
        name: "filter",
        summary: "Keep the records for which a condition is true.",
        details: "A record for which `when` is false or null is dropped (counted). `- filter: \"cond\"` is short "
            + "for `- filter: { when: \"cond\" }`.",
        object: ObjectSpec(
            name: "filter",
            options: [OptionSpec("when", .expression, required: true, "The condition.")],
            shorthand: "when"),
        example: "- filter: { when: \"data.category == 'UNPLANNED' and data.breakdown\" }",
        build: { options, _ in
            guard let when = options.expression("when") else { return nil }
            return .filter(FilterStep(when: when))
        },
        analyze: { step, _, analysis in
            guard case .filter(let filter) = step.kind else { return }
            analysis.check(filter.when)
        })
}
