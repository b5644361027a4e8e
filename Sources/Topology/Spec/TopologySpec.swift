/// The specs of the top level and the sections of `topology.yaml` (steps have their own `StepSpec`s).
enum TopologySpec {
    static let targetSystems = ["SAP_S4", "ORACLE_FUSION", "ORACLE_EBS", "D365"]

    static let defaults = ObjectSpec(
        name: "defaults",
        options: [
            OptionSpec(
                "guarantee", .choice(ProcessingGuarantee.allCases.map(\.rawValue)), default: "at_least_once",
                "Processing guarantee of every region (exactly_once needs a transactional cluster)."),
            OptionSpec(
                "commitInterval", .duration(minimum: DurationValue(milliseconds: 1)), default: "100ms",
                "How often offsets (and transactions) are committed."),
            OptionSpec(
                "targetSystem", .choice(targetSystems), default: "SAP_S4",
                "ERP the transactions are meant for (header field targetSystem)."),
        ])

    static let tableBinding = ObjectSpec(
        name: "table binding",
        options: [OptionSpec("table", .table, required: true, "The table (declared under tables:).")])

    static let region = ObjectSpec(
        name: "region",
        options: [
            OptionSpec(
                "name", .name, required: true, "`plantstream run --region NAME`; consumer group <application>-<name>."),
            OptionSpec("bootstrapServers", .string, required: true, "Kafka bootstrap servers host:port,..."),
            OptionSpec(
                "plants", .list(.name), default: "[] (all)",
                "Plants this region processes; events of other plants are counted and skipped."),
            OptionSpec(
                "kafka", .kafkaProperties, default: "{}",
                "librdkafka properties passed through; secrets only as { env: NAME } or { file: PATH }."),
        ])

    static let source = ObjectSpec(
        name: "source",
        options: [
            OptionSpec("name", .name, required: true, "Name pipelines refer to."),
            OptionSpec("topic", .name, required: true, "Kafka topic."),
            OptionSpec(
                "partitions", .integer(1...100_000), default: "6",
                "Partition count used when the topic is created (demo / embedded broker)."),
            OptionSpec(
                "key", .list(.path), required: true,
                "Record fields joined with | into the Kafka key; windows and dedupe keys must contain them."),
            OptionSpec(
                "envelope", .choice(EnvelopeFormat.allCases.map(\.rawValue)), default: "auto",
                "How events are wrapped: plain JSON, CloudEvents binary or structured mode, decided per record "
                    + "(auto), or none: the producer's own JSON, read where the options below say."),
            OptionSpec(
                "eventTime", .recordField, default: "occurredAt",
                "Where the event time is: RFC 3339 text or epoch milliseconds (required with envelope none; "
                    + "sparkplug_b: timestamp)."),
            OptionSpec(
                "schema", .schemaSelector,
                "envelope none: the schema of every record (<type>/v<N>, a subject of kind record), or where "
                    + "each record names its schema id ({ field: PATH } or { header: NAME })."),
            OptionSpec(
                "eventId", .recordField, default: "derived",
                "envelope none: where the event id is; without it the id is derived from topic, partition and "
                    + "offset (UUIDv5), so a replayed record keeps its id but a re-sent one gets a new one."),
            OptionSpec(
                "sourceSystem", .recordField, default: "the source's name",
                "envelope none: where the producing system's name is (part of 1:1 idempotency keys); a record "
                    + "without it counts as the source's."),
            OptionSpec(
                "plant", .recordField,
                "envelope none: where the plant is (regions' plant filter, ERP header plantId of records routed "
                    + "as they are)."),
            OptionSpec(
                "sparkplug", .object(sparkplug), default: "{}",
                "envelope sparkplug_b: where the MQTT topic is, how many DATA messages wait for a BIRTH, where "
                    + "sequence gaps and deaths are reported."),
        ])

    static let sparkplug = ObjectSpec(
        name: "sparkplug",
        options: [
            OptionSpec(
                "topicHeader", .name, default: "the record key",
                "The header holding the MQTT topic spBv1.0/<group>/<type>/<edge node>[/<device>]. MQTT bridges "
                    + "key records by the topic, which puts a node's BIRTH and DATA on different partitions unless "
                    + "the topic has one; key by group and edge node and give the topic in a header to scale out."),
            OptionSpec(
                "parkLimit", .integer(1...1_000_000), default: "\(SparkplugOptions.defaultParkLimit)",
                "DATA messages of one edge node kept (as state) until a BIRTH defines their metrics; beyond it, "
                    + "and at the node's death, they become SPARKPLUG_NO_BIRTH dead letters."),
            OptionSpec(
                "exceptions", .output([.records]),
                "Output for sparkplug.exception records: sequence gaps (with the missing range; the node then needs "
                    + "a rebirth) and node or device deaths."),
            OptionSpec(
                "staleEvents", .boolean, default: "false",
                "On NDEATH or DDEATH, one metric record per metric of the node or device with quality STALE."),
        ])

    static let table = ObjectSpec(
        name: "table",
        options: [
            OptionSpec("name", .name, required: true, "Name steps and lookup() refer to."),
            OptionSpec("file", .string, "A file under the reference directory: .csv (header row), .yaml or .json."),
            OptionSpec("topic", .name, "A compacted topic: key = key columns joined with |, value = JSON row."),
            OptionSpec("key", .list(.name), required: true, "Key columns (compared as text)."),
            OptionSpec(
                "validFrom", .name,
                "Column with the date/timestamp from which a row is valid (effective-dated rows)."),
        ],
        exactlyOneOf: [["file", "topic"]])

    static let output = ObjectSpec(
        name: "output",
        options: [
            OptionSpec("name", .name, required: true, "Name pipelines refer to."),
            OptionSpec("topic", .name, required: true, "Kafka topic."),
            OptionSpec(
                "kind", .choice(Output.Kind.allCases.map(\.rawValue)), default: "records",
                "records (ERP transactions, analytics), dead_letter, exceptions, or table (compacted, feeds a table)."),
            OptionSpec("partitions", .integer(1...100_000), default: "6", "Partition count used when created."),
        ])

    static let pipeline = ObjectSpec(
        name: "pipeline",
        options: [
            OptionSpec("name", .name, required: true, "Names metrics, dead-letter headers and state stores."),
            OptionSpec("source", .source, required: true, "The source it reads."),
            OptionSpec(
                "types", .list(.schemaType), required: true,
                "Schema types it takes (any version; older ones are upcast)."),
            OptionSpec(
                "deadLetter", .output([.deadLetter]), requiredAs: .missingDeadLetter,
                advice: "every pipeline needs an output of kind dead_letter so no bad record is lost",
                "Output (kind dead_letter) for records that fail."),
            OptionSpec(
                "exceptions", .output([.exceptions]),
                "Output (kind exceptions) for parked, cancelled and unmatched records; required by steps that "
                    + "write exceptions."),
            OptionSpec("steps", .steps, required: true, "Ordered steps; the first is validate."),
        ])

    static let topLevel = ObjectSpec(
        name: "topology",
        options: [
            OptionSpec(
                "application", .name, required: true,
                "Consumer group <application>-<region>; changelogs <application>-<region>-<store>-changelog."),
            OptionSpec("schemas", .string, default: "schemas", "Schema registry directory, relative to this file."),
            OptionSpec("reference", .string, default: "reference", "Reference data directory, relative to this file."),
            OptionSpec("defaults", .object(defaults), "Settings every region and pipeline inherits."),
            OptionSpec(
                "plantCalendar", .object(tableBinding),
                "Table keyed by plantId with timeZone (IANA) and openPeriods; needed by plant-local windows, "
                    + "localDate()/localTime() and periodCheck."),
            OptionSpec(
                "units", .object(tableBinding),
                "Table keyed by (plantId, materialId, uom) with numerator, denominator, baseUom; needed by convert()."),
            OptionSpec("regions", .list(.object(region)), required: true, "Deployments."),
            OptionSpec("sources", .list(.object(source)), required: true, "Topics read."),
            OptionSpec("tables", .list(.object(table)), default: "[]", "Global tables."),
            OptionSpec("outputs", .list(.object(output)), required: true, "Topics written."),
            OptionSpec("pipelines", .list(.object(pipeline)), required: true, "Pipelines."),
        ])

    /// Every section spec, for the generated reference.
    static let sections: [ObjectSpec] = [topLevel, defaults, region, source, table, output, pipeline]
}
