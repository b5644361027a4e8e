extension StepSpec {
    static let map = StepSpec(
        name: "map",
        summary: "Build the output record: an ordered mapping of field paths to expressions.",
        details: """
            Dotted names build nested objects (quantity.value, quantity.uom); [N] builds array elements, \
            numbered from 0 without gaps (activities[0].slot). A text literal needs inner quotes: uom: "'PCE'". \
            A field whose value is null is left out (an object or array element left empty is left out too). \
            Expressions see the record as it was before the map; after it the record is the mapped object and \
            later steps see only its top-level fields.
            """,
        object: ObjectSpec(
            name: "map",
            options: [OptionSpec("fields", .fields, required: true, "field.path: expression, in order.")],
            wholeMapping: "fields"),
        example: """
            - map:
                plantId: plantId
                orderId: orderId
                quantity.value: "convert(yield, unit, lookup('order_operations', 'opUnit', plantId, orderId, operationId), materialId)"
                quantity.uom: "'ST'"
            """,
        build: { options, _ in
            guard let fields = options.named("fields") else { return nil }
            return .map(MapStep(fields: fields))
        },
        analyze: { step, _, analysis in
            guard case .map(let map) = step.kind else { return }
            for field in map.fields { analysis.check(field.expression) }
            analysis.replaceScope(
                with: map.fields.map { ($0.name, analysis.shape(of: $0.expression) ?? .any) },
                description: "the mapped record")
        })
}
