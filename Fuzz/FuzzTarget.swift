// libFuzzer entry point for the JSON reader and the JSON Schema validator (see docs/fuzzing.md).
// Built by Fuzz/run.sh, not by SwiftPM (this folder is outside Sources/).
import JSON


/// Schemas compiled once: catalogue schemas plus a schema that exercises every applicator.
let fixedSchemas: [CompiledSchema] = {
    let compiler = SchemaCompiler(options: SchemaValidationOptions(formatAssertion: true))
    for (uri, bytes) in FuzzSchemas.resources {
        try! compiler.addResource(json: bytes, uri: uri)
    }
    let schemas = FuzzSchemas.validated.map { try! compiler.compile($0) }
    precondition(FuzzSchemas.resources.count > 30, "run from the package root (schemas/ not found)")
    return schemas
}()

/// Fails loudly (a fuzzer finding) when an invariant does not hold.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fatalError("fuzz invariant violated: \(message())")  // deliberate crash: this is how libFuzzer records a finding
    }
}

// libFuzzer calls the entry point from one thread only, so the shared tape is never used concurrently.
nonisolated(unsafe) let tape = JSONTape()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let document = try? JSONReader().parse(bytes, into: tape) else { return 0 }
    let root = document.root

    // Reader invariants: the tree round-trips through the writer.
    let value = JSONValue(root)
    var writer = JSONWriter()
    writer.value(value)
    let reparsed = try? JSONValue(parsing: writer.bytes)
    check(reparsed == value, "writer round trip changed the value")
    for node in root.elements where node.kind == .number {
        _ = node.decimal
        _ = node.number?.isInteger
    }

    // Validation against the fixed schemas: the fast and the detailed path agree.
    for schema in fixedSchemas {
        let fast = schema.isValid(root)
        let violations = schema.validate(root, maxErrors: 8)
        check(fast == violations.isEmpty, "isValid \(fast) but \(violations.count) violations for \(schema.uri)")
    }

    // The input as a schema: compile (errors are fine) and validate a few instances with it.
    let compiler = SchemaCompiler()
    if let schema = try? compiler.compile(value, uri: "https://fuzz.test/schema.json") {
        for instance: JSONValue in [value, .null, 1, "x", [1, "a", [:]], ["a": 1, "b": ["c": []]]] {
            let fast = schema.isValid(instance)
            let violations = schema.validate(instance, maxErrors: 8)
            check(fast == violations.isEmpty, "compiled input schema: fast \(fast) vs \(violations.count) violations")
        }
    }
    return 0
}
