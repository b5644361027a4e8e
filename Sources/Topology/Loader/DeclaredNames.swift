/// The names the sections declare (also of entries with other errors, so one mistake is reported once).
struct DeclaredNames: Sendable {
    var tables: [String: [String]] = [:]
    var outputs: [String: Output.Kind] = [:]
    var sources: Set<String> = []

    init(tables: [ParsedOptions], outputs: [ParsedOptions], sources: [ParsedOptions]) {
        for table in tables {
            if let name = table.string("name") { self.tables[name] = table.strings("key") ?? [] }
        }
        for output in outputs {
            if let name = output.string("name") {
                self.outputs[name] = output.string("kind").flatMap(Output.Kind.init(rawValue:)) ?? .records
            }
        }
        for source in sources {
            if let name = source.string("name") { self.sources.insert(name) }
        }
    }
}
