import JSON

/// The fast path of ``CompiledSchema/isValid(_:)-(JSONNode)``: the compiled node graph of one schema
/// rebuilt as flat checks in raw storage.
///
/// Built only for schemas whose reachable graph is acyclic and shallow and that need no dynamic
/// scope; then it answers exactly what the general validator answers (which also cannot hit its
/// depth guard on such a graph). `$ref`s are followed at build time (a `$ref` next to other
/// keywords becomes one more conjunct), object members are matched to their property slot by a
/// precomputed hash, `required` is a bit mask, string `const`/`enum` are byte comparisons, ASCII
/// patterns run as table lookups, and no check retains or allocates for unescaped input. Keywords
/// it does not implement (`unevaluated*`, `patternProperties`, `$dynamicRef`, `contains`, …)
/// make their subschema a fallback to the general validator.
///
/// `@unchecked Sendable`: every field is written only while building, before the program is
/// reachable from a ``CompiledSchema``; afterwards it is only read.
final class FastProgram: @unchecked Sendable {
    /// Raw storage for one program, freed with it. Every element type stored is trivial.
    final class Arena {
        var blocks: [UnsafeMutableRawPointer] = []

        func allocate<T>(_ count: Int) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
            blocks.append(UnsafeMutableRawPointer(pointer))
            return pointer
        }

        func buffer<T>(_ elements: [T]) -> UnsafeBufferPointer<T> {
            let pointer: UnsafeMutablePointer<T> = allocate(elements.count)
            pointer.initialize(from: elements, count: elements.count)
            return UnsafeBufferPointer(start: pointer, count: elements.count)
        }

        func single<T>(_ value: T) -> UnsafePointer<T> {
            let pointer: UnsafeMutablePointer<T> = allocate(1)
            pointer.initialize(to: value)
            return UnsafePointer(pointer)
        }

        deinit { for block in blocks { block.deallocate() } }
    }

    /// The deepest schema graph given a fast program (far below the general validator's guard, and
    /// a shallow native stack on task threads); real schemas are a few levels deep.
    static let maxGraphDepth = 64

    let root: FastRef
    let arena: Arena
    /// How many nodes fall back to the general validator (for tests).
    let fallbackCount: Int

    private init(root: FastRef, arena: Arena, fallbackCount: Int) {
        self.root = root
        self.arena = arena
        self.fallbackCount = fallbackCount
    }

    /// The fast program of `root`, or `nil` when the schema is recursive, very deep or needs a dynamic scope.
    static func build(root: NodeRef, tracksDynamicScope: Bool) -> FastProgram? {
        guard !tracksDynamicScope else { return nil }
        var depths: [NodeRef: Int] = [:]
        var visiting: Set<NodeRef> = []
        guard let depth = graphDepth(root, &depths, &visiting), depth <= maxGraphDepth else { return nil }
        var builder = FastProgramBuilder(arena: Arena())
        let fastRoot = builder.node(root)
        builder.assignNameIDs()
        return FastProgram(root: fastRoot, arena: builder.arena, fallbackCount: builder.fallbacks)
    }

    /// The longest path (in nodes) from `node`, or `nil` if a cycle is reachable.
    private static func graphDepth(
        _ node: NodeRef, _ depths: inout [NodeRef: Int], _ visiting: inout Set<NodeRef>
    ) -> Int? {
        if let known = depths[node] { return known }
        guard visiting.insert(node).inserted, visiting.count <= maxGraphDepth + 1 else { return nil }
        var deepest = 0
        var children: [NodeRef] = []
        if let forward = node.pointee.forward { children.append(forward) }
        for op in node.pointee.ops { appendChildren(of: op, to: &children) }
        for child in children {
            guard let depth = graphDepth(child, &depths, &visiting) else { return nil }
            deepest = max(deepest, depth)
        }
        visiting.remove(node)
        depths[node] = deepest + 1
        return deepest + 1
    }

    /// The subschemas an op applies (statically; dynamic references have no fast program).
    static func appendChildren(of op: SchemaOp, to children: inout [NodeRef]) {
        switch op {
        case .object(let box):
            let rules = box.takeUnretainedValue()
            for index in 0..<rules.names.count { if let schema = rules.schemas[index] { children.append(schema) } }
            children += rules.patterns.map(\.1)
            if let additional = rules.additional { children.append(additional) }
        case .propertyNames(let node), .contains(let node, _, _), .not(let node), .ref(let node),
            .dynamicRef(let node, _), .unevaluatedItems(let node), .unevaluatedProperties(let node):
            children.append(node)
        case .dependentSchemas(let box): children += box.takeUnretainedValue().schemas
        case .items(let prefix, let rest):
            children += prefix.takeUnretainedValue().nodes
            if let rest { children.append(rest) }
        case .allOf(let box), .anyOf(let box), .oneOf(let box): children += box.takeUnretainedValue().nodes
        case .conditional(let condition, let then, let otherwise):
            children.append(condition)
            if let then { children.append(then) }
            if let otherwise { children.append(otherwise) }
        default: break
        }
    }
}

/// Translates general nodes into ``FastNode``s (each node once; shared subschemas stay shared).
struct FastProgramBuilder {
    let arena: FastProgram.Arena
    var built: [NodeRef: FastRef] = [:]
    var fallbacks = 0
    /// Member-name tables (objects, `required`, `dependentSchemas`), for ``assignNameIDs()``.
    var memberTables: [UnsafeMutablePointer<FastKeyTable>] = []
    /// Largest name-id storage (ids × tables) for which presence sharing is set up.
    static let maxPresenceStorage = 1 << 20

    init(arena: FastProgram.Arena) { self.arena = arena }

    mutating func node(_ general: NodeRef) -> FastRef {
        if let existing = built[general] { return existing }
        let result: FastRef
        if let forward = general.pointee.forward {
            result = node(forward)
        } else {
            var fast = FastNode(general: general)
            switch general.pointee.constant {
            case .alwaysValid: fast.kind = .alwaysValid
            case .alwaysInvalid: fast.kind = .alwaysInvalid
            case .normal:
                if general.pointee.collectsAnnotations || !translate(general, into: &fast) {
                    fast = FastNode(general: general)
                    fast.kind = .fallback
                    fallbacks += 1
                }
            }
            result = arena.single(fast)
        }
        built[general] = result
        return result
    }

    /// A member-name table (at most 64 keys), registered for name ids.
    mutating func memberTable(_ keys: [[UInt8]]) -> UnsafePointer<FastKeyTable> {
        let table: UnsafeMutablePointer<FastKeyTable> = arena.allocate(1)
        table.initialize(to: FastKeyTable(keys, arena: arena))
        memberTables.append(table)
        return UnsafePointer(table)
    }

    /// Numbers every distinct member name of the program and fills each table's id maps, so that
    /// ``FastPresence`` can translate between tables.
    mutating func assignNameIDs() {
        var ids: [[UInt8]: Int32] = [:]
        for table in memberTables {
            for slot in 0..<table.pointee.count where ids[table.pointee.key(slot)] == nil {
                ids[table.pointee.key(slot)] = Int32(ids.count)
            }
        }
        guard ids.count * memberTables.count <= Self.maxPresenceStorage else { return }
        for table in memberTables {
            let nameIDs: UnsafeMutablePointer<Int32> = arena.allocate(table.pointee.count)
            let slotOfID: UnsafeMutablePointer<Int8> = arena.allocate(ids.count)
            slotOfID.initialize(repeating: -1, count: ids.count)
            for slot in 0..<table.pointee.count {
                let id = ids[table.pointee.key(slot)]!
                (nameIDs + slot).initialize(to: id)
                slotOfID[Int(id)] = Int8(slot)
            }
            table.pointee.nameIDs = UnsafePointer(nameIDs)
            table.pointee.slotOfID = UnsafePointer(slotOfID)
        }
    }

    mutating func nodes(_ list: UnsafeBufferPointer<NodeRef>) -> UnsafeBufferPointer<FastRef> {
        arena.buffer(list.map { node($0) })
    }

    /// Fills `fast` from the general node's ops; `false` if one of them has no fast form.
    mutating func translate(_ general: NodeRef, into fast: inout FastNode) -> Bool {
        var checks: [FastCheck] = []
        var string = FastStringRules()
        var hasString = false
        var low = Int64.min
        var high = Int64.max
        var bounds: [SchemaOp] = []
        var boundsAreInt64 = true
        for op in general.pointee.ops {
            switch op {
            case .type(let mask): fast.typeMask &= mask
            case .string(let box):
                let rules = box.takeUnretainedValue()
                if rules.requireString { fast.typeMask &= TypeBits.string }
                string.minLength = max(string.minLength, rules.minLength)
                string.maxLength = min(string.maxLength, rules.maxLength)
                if let pattern = rules.pattern { guard setPattern(pattern, &string) else { return false } }
                if let format = rules.format { string.format = format }
                hasString = true
            case .minLength(let limit):
                string.minLength = max(string.minLength, limit)
                hasString = true
            case .maxLength(let limit):
                string.maxLength = min(string.maxLength, limit)
                hasString = true
            case .pattern(let pattern):
                guard setPattern(pattern, &string) else { return false }
                hasString = true
            case .format(let format):
                string.format = format
                hasString = true
            case .constantString(let box), .enumStrings(let box):
                let table = box.takeUnretainedValue()
                guard table.count <= FastKeyTable.maxCount else {
                    checks.append(.generic(op))
                    continue
                }
                checks.append(.stringValues(arena.single(FastKeyTable(table.keys, arena: arena))))
            case .constantInteger(let value): checks.append(.constInteger(value))
            case .constant(let box):
                if case .bool(let flag) = box.takeUnretainedValue().values[0] {
                    checks.append(.constBool(flag))
                } else {
                    checks.append(.generic(op))
                }
            case .minimum(let box), .maximum(let box), .exclusiveMinimum(let box), .exclusiveMaximum(let box):
                bounds.append(op)
                guard let limit = box.takeUnretainedValue().int64 else {
                    boundsAreInt64 = false
                    continue
                }
                switch op {
                case .minimum: low = max(low, limit)
                case .maximum: high = min(high, limit)
                case .exclusiveMinimum:
                    if limit == Int64.max { boundsAreInt64 = false } else { low = max(low, limit + 1) }
                default:
                    if limit == Int64.min { boundsAreInt64 = false } else { high = min(high, limit - 1) }
                }
            case .required(let box):
                let table = box.takeUnretainedValue()
                if table.count <= 64 {
                    checks.append(.required(memberTable(table.keys)))
                } else {
                    checks.append(.generic(op))
                }
            case .object(let box):
                let rules = box.takeUnretainedValue()
                guard !rules.hasPatterns, rules.names.count <= 64 else { return false }
                var schemas: [FastRef?] = []
                for index in 0..<rules.names.count { schemas.append(rules.schemas[index].map { node($0) }) }
                var requiredMask: UInt64 = 0
                for index in rules.required { requiredMask |= 1 << UInt64(index) }
                let object = FastObjectRules(
                    names: memberTable(rules.names.keys),
                    leaves: arena.buffer(schemas.map(FastLeaf.init)).baseAddress!,
                    requiredMask: requiredMask, additional: rules.additional.map { node($0) })
                checks.append(.object(arena.single(object)))
            case .items(let prefix, let rest):
                checks.append(.items(prefix: nodes(prefix.takeUnretainedValue().nodes), rest: rest.map { node($0) }))
            case .allOf(let box): checks.append(.allOf(nodes(box.takeUnretainedValue().nodes)))
            case .anyOf(let box): checks.append(.anyOf(nodes(box.takeUnretainedValue().nodes)))
            case .oneOf(let box): checks.append(.oneOf(nodes(box.takeUnretainedValue().nodes)))
            case .not(let schema): checks.append(.not(node(schema)))
            case .ref(let target): checks.append(.allOf(arena.buffer([node(target)])))
            case .conditional(let condition, let then, let otherwise):
                checks.append(
                    .conditional(
                        condition: node(condition), then: then.map { node($0) }, else: otherwise.map { node($0) }))
            case .dependentSchemas(let box):
                let rules = box.takeUnretainedValue()
                guard rules.triggers.count <= 64 else { return false }
                checks.append(
                    .dependentSchemas(
                        triggers: memberTable(rules.triggers.keys),
                        schemas: arena.buffer(rules.schemas.map { node($0) })))
            case .enumeration, .multipleOf, .minItems, .maxItems, .uniqueItems, .minProperties, .maxProperties,
                .dependentRequired:
                checks.append(.generic(op))
            case .propertyNames, .contains, .dynamicRef, .unevaluatedItems, .unevaluatedProperties:
                return false
            }
        }
        if !bounds.isEmpty {
            checks.insert(
                boundsAreInt64
                    ? .integerRange(low: low, high: high, exact: arena.buffer(bounds))
                    : .integerRange(low: Int64.max, high: Int64.min, exact: arena.buffer(bounds)), at: 0)
        }
        if hasString { checks.insert(.string(arena.single(string)), at: 0) }
        fast.checks = arena.buffer(checks)
        if case .object = checks.first, checks.count > 1 {
            fast.recordsPresence = checks.dropFirst().contains {
                switch $0 {
                case .required, .dependentSchemas, .allOf, .anyOf, .oneOf, .not, .conditional, .object: true
                default: false
                }
            }
        }
        return true
    }

    /// Chooses the fastest matcher for `pattern`; `false` if a node has two patterns (kept general).
    func setPattern(_ pattern: Unmanaged<ECMARegex>, _ rules: inout FastStringRules) -> Bool {
        guard rules.runTable == nil, rules.runs.isEmpty, rules.regex == nil else { return false }
        let regex = pattern.takeUnretainedValue()
        guard let matcher = regex.fast else {
            rules.regex = pattern
            return true
        }
        let runs = matcher.runs
        if runs.count == 1 && runs[0].groupEnd < 0 {
            let run = runs[0]
            let table: UnsafeMutablePointer<Bool> = arena.allocate(256)
            for byte in 0..<256 { (table + byte).initialize(to: run.contains(UInt8(byte))) }
            rules.runTable = UnsafePointer(table)
            rules.runMinimum = run.min
            rules.runMaximum = run.max
        } else {
            rules.runs = arena.buffer(runs)
        }
        return true
    }
}
