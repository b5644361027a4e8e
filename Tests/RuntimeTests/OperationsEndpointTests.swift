import Foundation
import KafkaClient
import Simulator
import TestHTTP
import Testing
import Topology

extension RuntimeProcessTests {
    /// `plantstream run --http-port`: Prometheus metrics scraped over HTTP agree with what the topics hold, and
    /// `/health/ready` turns 503 while the cluster is down and 200 again once it is back.
    @Suite struct OperationsEndpointTests {
        static let region = "eu-central"

        /// Polls `path` until `accept` takes the response.
        static func poll(
            port: Int, _ path: String, seconds: Int, _ accept: (HTTPGet.Response) -> Bool
        ) async throws -> HTTPGet.Response {
            let deadline = ContinuousClock.now + .seconds(seconds)
            var last: HTTPGet.Response?
            while ContinuousClock.now < deadline {
                if let response = try? HTTPGet.fetch(port: port, path: path) {
                    if accept(response) { return response }
                    last = response
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            throw HarnessError("\(path) never answered as expected; last: \(String(describing: last))")
        }

        @Test func metricsMatchTheTopicsAndReadinessFollowsAnOutage() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("operations")
            let fixture = try FixtureTopology(application: "ops", prefix: "o.", directory: directory)
            let partitions = try await TestTopics.create(for: [fixture], region: Self.region, cluster: cluster)
            let topology = try TopologyLoader(environment: [:]).load(contentsOf: fixture.path)
            let scenario = try PlantScenario.load(topology: topology, directory: directory, region: Self.region)
            var simulator = try PlantSimulator(
                scenario: scenario, configuration: SimulatorConfiguration(seed: 3, holdsPerPlantPerDay: 0))
            let stream = TestKafka.outgoing(simulator.records(count: 1500))
            try await TestKafka.produce(stream, cluster: cluster)
            let process = try ProcessorProcess(
                arguments: ProcessorProcess.arguments(
                    topology: fixture.path, region: Self.region, bootstrap: cluster.bootstrapServers)
                    + ["--http-port", "0", "--ready-max-lag", "0"])
            defer { process.terminate() }
            // The endpoint logs the port it got.
            var port = 0
            let deadline = ContinuousClock.now + .seconds(30)
            while port == 0 {
                try #require(ContinuousClock.now < deadline, "no http.port line: \(process.standardError)")
                try #require(process.exitStatus == nil, "exited: \(process.standardError)")
                if let line = process.standardError.split(separator: "\n").first(where: { $0.contains("http.port=") }),
                    let value = line.split(separator: "http.port=").last?.prefix(while: \.isNumber)
                {
                    port = Int(value) ?? 0
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try HTTPGet.fetch(port: port, path: "/health/live").status == 200)

            // Caught up (lag 0 allowed): ready, and the counters say what the topics hold.
            let inputs = partitions.filter { topology.sources.map(\.topic).contains($0.key) }
            let catchUp = ContinuousClock.now + .seconds(90)
            while try await !TestKafka.partitionsBehind(group: "ops-\(Self.region)", topics: inputs, cluster: cluster)
                .isEmpty
            {
                try #require(ContinuousClock.now < catchUp, "never caught up: \(process.standardError)")
                try await Task.sleep(for: .milliseconds(200))
            }
            _ = try await Self.poll(port: port, "/health/ready", seconds: 30) { $0.status == 200 }
            let outputs = try await TestKafka.readAll(
                [fixture.topic("erp.txn.v1"), fixture.topic("mfg.dlq.v1")], cluster: cluster)
            let scrape = try await Self.poll(port: port, "/metrics", seconds: 30) { response in
                HTTPGet.samples(response.body)["plantstream_events_in_total"] == Double(stream.count)
            }
            let samples = HTTPGet.samples(scrape.body)
            let transactions = samples.filter { $0.key.hasPrefix("plantstream_transactions_total{") }.values
            let letters = samples.filter { $0.key.hasPrefix("plantstream_dead_letters_total{") }.values
            #expect(
                Int(transactions.reduce(0, +))
                    == outputs.filter { $0.topic == fixture.topic("erp.txn.v1") }.count)
            #expect(Int(letters.reduce(0, +)) == outputs.filter { $0.topic == fixture.topic("mfg.dlq.v1") }.count)
            #expect(
                samples["plantstream_records_written_total{topic=\"\(fixture.topic("erp.txn.v1"))\"}"]
                    == Double(outputs.filter { $0.topic == fixture.topic("erp.txn.v1") }.count))
            #expect(samples["plantstream_ready"] == 1)
            #expect(samples["plantstream_cluster_reachable"] == 1)
            #expect((samples["plantstream_assigned_partitions"] ?? 0) > 0)

            // The cluster goes away: not ready, saying why; back: ready again.
            try cluster.setBrokerDown(1)
            let down = try await Self.poll(port: port, "/health/ready", seconds: 60) { $0.status == 503 }
            #expect(down.body.contains("unreachable"), "\(down.body)")
            #expect(try HTTPGet.fetch(port: port, path: "/health/live").status == 200)
            try cluster.setBrokerUp(1)
            _ = try await Self.poll(port: port, "/health/ready", seconds: 90) { $0.status == 200 }
            process.terminate()
            #expect(try await process.waitForExit(seconds: 60) == 0, "\(process.standardError)")
        }
    }
}
