// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "PlantStream",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "plantstream", targets: ["plantstream"]),
        .library(name: "PlantStream", targets: ["PlantStream"]),
        .library(name: "PlantStreamTesting", targets: ["PlantStreamTesting"]),
        .library(name: "KafkaClient", targets: ["KafkaClient"]),
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "Schemas", targets: ["Schemas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C shim over the system librdkafka (no logic): rdkafka.h + rdkafka_mock.h.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // The only importer of CRdKafka: producers, consumers, admin, embedded cluster.
        .target(
            name: "KafkaClient",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Byte-level JSON reader and writer, exact decimals; no Foundation.
        .target(name: "JSON"),
        // Civil time on epoch milliseconds: RFC 3339 on bytes, IANA zone transition tables.
        .target(name: "Timekeeping"),
        // Sparkplug B payloads (protobuf wire format, hand-written) and topics; no dependencies.
        .target(name: "Sparkplug"),
        // Schema registry in git, JSON Schema 2020-12 validator, compatibility, upcasting.
        .target(
            name: "Schemas",
            dependencies: [
                "JSON",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // topology.yaml -> typed value; lint with file:line:column.
        .target(
            name: "Topology",
            dependencies: [
                "JSON",
                "Schemas",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Steps, windows, watermarks, state stores, tasks. Never imports KafkaClient.
        .target(
            name: "Engine",
            dependencies: [
                "JSON",
                "Schemas",
                "Topology",
                "Timekeeping",
                "Sparkplug",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Realistic plant event generator (no Kafka): machines, orders, holds, faults.
        .target(
            name: "Simulator",
            dependencies: ["JSON", "Sparkplug", "Topology", "Timekeeping"]
        ),
        // Wiring: Kafka sources and sinks, changelogs, commit protocol, services.
        .target(
            name: "Runtime",
            dependencies: [
                "Engine",
                "Topology",
                "Schemas",
                "JSON",
                "KafkaClient",
                "Timekeeping",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // `plantstream demo`: embedded broker + simulated plants + the runtime (production `run` links no
        // simulator).
        .target(
            name: "Demo",
            dependencies: [
                "Operations",
                "Runtime",
                "Simulator",
                "KafkaClient",
                "Topology",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Benchmarks run by `plantstream bench` (commands, never timed tests).
        .target(
            name: "Benchmarks",
            dependencies: [
                "Runtime", "KafkaClient", "Engine", "Schemas", "JSON", "Simulator", "Timekeeping", "Topology",
                "Sparkplug",
            ]
        ),
        // The library product users import to add custom steps.
        .target(
            name: "PlantStream",
            dependencies: ["Engine", "Topology"]
        ),
        // Synchronous test driver: pipe records, advance event and wall-clock time, read outputs.
        .target(
            name: "PlantStreamTesting",
            dependencies: ["Engine", "Topology", "Schemas", "JSON", "Timekeeping"]
        ),
        // The operators' HTTP endpoint beside a processor: Prometheus metrics, health probes.
        .target(
            name: "Operations",
            dependencies: [
                "Runtime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "plantstream",
            dependencies: [
                "Runtime",
                "Operations",
                "Demo",
                "Benchmarks",
                "KafkaClient",
                "Schemas",
                "Topology",
                "Engine",
                "JSON",
                "Simulator",
                "PlantStreamTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "KafkaClientTests", dependencies: ["KafkaClient"]),
        // Test support: where the external conformance suites are (JSONTests, SchemasTests).
        .target(name: "ConformanceSuites", path: "Tests/ConformanceSuites"),
        .testTarget(name: "JSONTests", dependencies: ["JSON", "ConformanceSuites"]),
        .testTarget(name: "TimekeepingTests", dependencies: ["Timekeeping"]),
        .testTarget(name: "SchemasTests", dependencies: ["Schemas", "JSON", "ConformanceSuites"]),
        .testTarget(name: "TopologyTests", dependencies: ["Topology", "Schemas"]),
        .testTarget(name: "SparkplugTests", dependencies: ["Sparkplug"]),
        .testTarget(
            name: "EngineTests",
            dependencies: [
                "Engine", "PlantStream", "PlantStreamTesting", "Topology", "Schemas", "JSON", "Timekeeping",
                "MallocCounter", "Simulator", "Sparkplug", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Runtime", "KafkaClient", "Simulator", "JSON", "Engine", "PlantStreamTesting", "Topology", "TestHTTP",
            ]
        ),
        // Test support: a plain HTTP GET and a Prometheus text parser (RuntimeTests, CLITests).
        .target(name: "TestHTTP", path: "Tests/TestHTTP"),
        // Test support: counts one thread's heap allocations (interposes malloc & co. in the test executable).
        .target(name: "MallocCounter", path: "Tests/MallocCounter"),
        .testTarget(name: "CLITests", dependencies: ["KafkaClient", "TestHTTP"]),
        .testTarget(name: "OperationsTests", dependencies: ["Operations", "Runtime", "JSON", "TestHTTP"]),
        .testTarget(
            name: "SimulatorTests",
            dependencies: ["Simulator", "JSON", "Schemas", "Sparkplug", "Topology", "Timekeeping"]),
    ]
)
