import JSON
import Schemas
import Topology

/// Everything compiled once for one source topic: envelope options, the pipelines reading it and
/// an index from event type to those pipelines.
final class SourcePlan {
    let source: Source
    let format: EnvelopeFormat
    let maxBytes: Int
    let pipelines: [PipelinePlan]
    /// The event time's path (empty when it is in a header).
    let eventTime: [PathStep]
    /// The header holding the event time, if it is in one.
    let eventTimeHeader: [UInt8]?
    /// Foreign records (`envelope: none`): the one schema of every record (type, version, id) …
    let fixedSchema: (type: [UInt8], version: Int64, id: [UInt8])?
    /// … or the field or header naming each record's schema id.
    let schemaField: [PathStep]?
    let schemaHeader: [UInt8]?
    /// `eventTime` in memory the plan owns (read per record without reference counting).
    let eventTimeSteps: UnsafeMutableBufferPointer<PathStep>
    let aliasCount: Int
    /// Where the identity of the source's events is.
    let identity: EventIdentity
    /// Sparkplug B decoding (`envelope: sparkplug_b`).
    let sparkplug: SparkplugPlan?
    private let catalog: SchemaCatalog
    private var typeIndex = ByteKeyMap<[Int]>()
    private let plants: ByteKeyMap<Bool>?
    private var schemaCache = ByteKeyMap<TypeEntry>()

    /// What one event type means for this source: its versions (validators indexed by version) and the
    /// pipelines taking it.
    final class TypeEntry {
        let latest: Int?
        let validators: [CompiledSchema?]
        /// `validators` in memory the entry owns (`nil` where there is none): a validator is called in place,
        /// without copying it (and retaining its references) out of an array per record.
        let validatorSlots: UnsafeMutableBufferPointer<UnsafeMutablePointer<CompiledSchema>?>
        let pipelines: [Int]?

        init(latest: Int?, validators: [CompiledSchema?], pipelines: [Int]?) {
            self.latest = latest
            self.validators = validators
            self.pipelines = pipelines
            validatorSlots = .allocate(capacity: max(validators.count, 1))
            for (index, validator) in validators.enumerated() {
                var slot: UnsafeMutablePointer<CompiledSchema>?
                if let validator {
                    slot = .allocate(capacity: 1)
                    slot!.initialize(to: validator)
                }
                (validatorSlots.baseAddress! + index).initialize(to: slot)
            }
        }

        deinit {
            for index in validators.indices {
                guard let slot = validatorSlots[index] else { continue }
                slot.deinitialize(count: 1)
                slot.deallocate()
            }
            validatorSlots.deallocate()
        }
    }

    init(
        source: Source, format: EnvelopeFormat, maxBytes: Int, pipelines: [PipelinePlan], plants: [String],
        catalog: SchemaCatalog, sparkplug: SparkplugPlan? = nil
    ) {
        self.source = source
        self.sparkplug = sparkplug
        self.format = format
        self.maxBytes = maxBytes
        self.pipelines = pipelines
        self.catalog = catalog
        eventTime = source.eventTime.path.map { PathStep.steps($0.segments[...]) } ?? []
        if case .header(let name) = source.eventTime {
            eventTimeHeader = Array(name.utf8)
        } else {
            eventTimeHeader = nil
        }
        switch source.schema {
        case .fixed(let id)?:
            let slash = id.lastIndex(of: "/")!
            fixedSchema = (Array(id[..<slash].utf8), Int64(id[id.index(slash, offsetBy: 2)...]) ?? 0, Array(id.utf8))
            schemaField = nil
            schemaHeader = nil
        case .from(.field(let path))?:
            fixedSchema = nil
            schemaField = PathStep.steps(path.segments[...])
            schemaHeader = nil
        case .from(.header(let name))?:
            fixedSchema = nil
            schemaField = nil
            schemaHeader = Array(name.utf8)
        case nil:
            fixedSchema = nil
            schemaField = nil
            schemaHeader = nil
        }
        eventTimeSteps = .allocate(capacity: eventTime.count)
        _ = eventTimeSteps.initialize(from: eventTime)
        aliasCount = pipelines.map(\.aliasCount).max() ?? 0
        identity = EventIdentity(source: source)
        for (index, pipeline) in pipelines.enumerated() {
            for type in pipeline.types {
                let key = Array(type.utf8)
                if let existing = typeIndex.index(of: key) {
                    typeIndex[existing].append(index)
                } else {
                    typeIndex.insert(key, value: [index])
                }
            }
        }
        if plants.isEmpty {
            self.plants = nil
        } else {
            var map = ByteKeyMap<Bool>()
            for plant in plants { map.insert(Array(plant.utf8), value: true) }
            self.plants = map
        }
    }

    deinit {
        eventTimeSteps.deallocate()
    }

    /// Indexes of the pipelines taking `type`, or `nil`.
    @inline(__always)
    func pipelines(forType type: UnsafeRawBufferPointer) -> [Int]? {
        typeIndex.index(of: type).map { typeIndex[$0] }
    }

    /// `true` when the region processes `plant` (or every plant).
    @inline(__always)
    func takesPlant(_ plant: UnsafeRawBufferPointer) -> Bool {
        guard let plants else { return true }
        return plants.index(of: plant) != nil
    }

    /// `true` when the region restricts plants.
    var filtersPlants: Bool { plants != nil }

    /// Everything about an event type (cached per type; unknown types are cached up to a bound).
    @inline(__always)
    func entry(type: UnsafeRawBufferPointer) -> TypeEntry {
        if let index = schemaCache.index(of: type) { return schemaCache[index] }
        let typeName = String(decoding: type, as: UTF8.self)
        let latest = catalog.latestVersion(ofType: typeName)
        var validators: [CompiledSchema?] = [nil]
        if let latest {
            for number in 1...max(latest, 1) {
                validators.append(catalog.validator(forSchemaID: "\(typeName)/v\(number)"))
            }
        }
        let entry = TypeEntry(latest: latest, validators: validators, pipelines: pipelines(forType: type))
        if schemaCache.count < 4096 { schemaCache.insert(type, value: entry) }
        return entry
    }

    /// Upcasts through the catalogue.
    func upcast(_ event: JSONValue, type: String, from version: Int) throws(RecordFailure) -> JSONValue {
        try catalog.upcast(event, type: type, fromVersion: version)
    }
}

/// One compiled pipeline.
final class PipelinePlan {
    let name: String
    let types: [String]
    let deadLetter: Destination
    let exceptions: Destination?
    let steps: [StepPlan]
    let aliasCount: Int

    init(
        name: String, types: [String], deadLetter: Destination, exceptions: Destination?, steps: [StepPlan],
        aliasCount: Int
    ) {
        self.name = name
        self.types = types
        self.deadLetter = deadLetter
        self.exceptions = exceptions
        self.steps = steps
        self.aliasCount = aliasCount
    }
}

/// A pipeline's nodes inside one task.
final class PipelineInstance {
    let plan: PipelinePlan
    let nodes: [StepNode]

    /// The first node.
    let head: StepNode?

    init(plan: PipelinePlan, nodes: [StepNode]) {
        self.plan = plan
        self.nodes = nodes
        head = nodes.first
        for index in nodes.indices.dropLast() { nodes[index].next = nodes[index + 1] }
    }
}
