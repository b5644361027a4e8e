import Foundation
import KafkaClient
import Logging
import Testing

@Suite struct KafkaConfigurationTests {
    @Test func passesPropertiesThroughAndTypesThem() {
        var configuration = KafkaConfiguration(["queue.buffering.max.kbytes": "2048"])
        configuration.bootstrapServers = "a:9092,b:9092"
        configuration.acks = .all
        configuration.isolationLevel = .readCommitted
        configuration.autoOffsetReset = .earliest
        configuration.lingerMilliseconds = 20
        configuration.enableIdempotence = false
        configuration.securityProtocol = .saslSSL
        configuration.saslMechanism = .scramSHA512

        #expect(configuration["queue.buffering.max.kbytes"] == "2048")
        #expect(configuration["bootstrap.servers"] == "a:9092,b:9092")
        #expect(configuration["acks"] == "all")
        #expect(configuration["isolation.level"] == "read_committed")
        #expect(configuration["linger.ms"] == "20")
        #expect(configuration["enable.idempotence"] == "false")
        #expect(configuration["security.protocol"] == "sasl_ssl")
        #expect(configuration["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(configuration.lingerMilliseconds == 20)
        #expect(configuration.enableIdempotence == false)
        #expect(configuration.autoOffsetReset == .earliest)
        #expect(configuration.saslMechanism == .scramSHA512)

        configuration.lingerMilliseconds = nil
        #expect(!configuration.contains("linger.ms"))
    }

    @Test(arguments: [
        ("env:KAFKA_PASSWORD", KafkaSecret.environment("KAFKA_PASSWORD")),
        ("file:/run/secrets/kafka", KafkaSecret.file("/run/secrets/kafka")),
    ])
    func parsesSecretReferences(reference: String, expected: KafkaSecret) {
        #expect(KafkaSecret(reference: reference) == expected)
        #expect(expected.description == reference)
    }

    @Test(arguments: ["KAFKA_PASSWORD", "env:", "file:", "vault:x"])
    func rejectsMalformedSecretReferences(reference: String) {
        #expect(KafkaSecret(reference: reference) == nil)
    }

    @Test func descriptionRedactsSecretsHoweverTheyWereSet() {
        var configuration = KafkaConfiguration(["ssl.key.password": "plain-key-secret", "client.id": "visible"])
        configuration.saslPassword = .environment("PS_TEST_SASL")
        let text = configuration.description
        #expect(!text.contains("plain-key-secret"))
        #expect(text.contains("ssl.key.password=[redacted]"))
        #expect(text.contains("sasl.password=<env:PS_TEST_SASL>"))
        #expect(text.contains("client.id=visible"))
    }

    @Test func secretFromEnvironmentReachesLibrdkafkaButNeverLogsOrErrors() throws {
        let secret = "S3cr3t-from-env-\(UInt32.random(in: 0...UInt32.max))"
        setenv("PS_TEST_SASL_PASSWORD", secret, 1)
        defer { unsetenv("PS_TEST_SASL_PASSWORD") }
        let handler = CapturingLogHandler()
        let logger = Logger(label: "capture") { _ in handler }

        var configuration = KafkaConfiguration(["debug": "conf", "bootstrap.servers": "127.0.0.1:1"])
        configuration.securityProtocol = .saslPlaintext
        configuration.saslMechanism = .plain
        configuration.saslUsername = "user"
        configuration.saslPassword = .environment("PS_TEST_SASL_PASSWORD")
        _ = try KafkaProducer(configuration: configuration, logger: logger)

        let lines = handler.lines.withLock { $0 }
        #expect(lines.contains { $0.contains("sasl.username") }, "debug=conf should log the configuration")
        #expect(!lines.contains { $0.contains(secret) })

        // An unrelated invalid property makes creation fail: the error must not carry the secret.
        configuration["linger.ms"] = "not-a-number"
        do {
            _ = try KafkaProducer(configuration: configuration, logger: logger)
            Issue.record("an invalid linger.ms was accepted")
        } catch {
            #expect(error.code == .configuration)
            #expect(error.message.contains("linger.ms"))
            #expect(!error.description.contains(secret))
        }
    }

    @Test func secretFromFileDropsTrailingNewline() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ps-secret-\(UUID().uuidString)").path
        try "from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = KafkaConfiguration(["bootstrap.servers": "127.0.0.1:1"])
        // client.id is not sensitive, so librdkafka shows the value it received in the client name.
        configuration.setSecret("client.id", from: .file(path))
        let producer = try KafkaProducer(configuration: configuration, logger: TestSettings.logger)
        #expect(producer.name.hasPrefix("from-file#producer-"))
    }

    @Test func missingSecretIsAClearErrorNamingTheSource() {
        unsetenv("PS_TEST_UNSET_VARIABLE")
        var configuration = KafkaConfiguration(["bootstrap.servers": "127.0.0.1:1"])
        configuration.saslPassword = .environment("PS_TEST_UNSET_VARIABLE")
        do {
            _ = try KafkaProducer(configuration: configuration, logger: TestSettings.logger)
            Issue.record("a missing secret was accepted")
        } catch {
            #expect(error.code == .secretUnavailable)
            #expect(error.message.contains("PS_TEST_UNSET_VARIABLE"))
            #expect(error.message.contains("sasl.password"))
        }
        var fromFile = KafkaConfiguration()
        fromFile.setSecret("ssl.key.password", from: .file("/nonexistent/ps-secret"))
        #expect(throws: KafkaError.self) { _ = try KafkaProducer(configuration: fromFile, logger: TestSettings.logger) }
    }

    @Test func unknownPropertyIsAConfigurationError() {
        do {
            _ = try KafkaProducer(
                configuration: KafkaConfiguration(["no.such.property": "1"]), logger: TestSettings.logger)
            Issue.record("an unknown property was accepted")
        } catch {
            #expect(error.code == .configuration)
            #expect(error.message.contains("no.such.property"))
        }
    }

    @Test func consumerRequiresGroupID() {
        #expect(throws: KafkaError.self) {
            _ = try KafkaConsumer(configuration: KafkaConfiguration(), logger: TestSettings.logger)
        }
    }

    @Test func clientDefaultsAreApplied() {
        #expect(KafkaProducer.defaults.enableIdempotence == true)
        #expect(KafkaProducer.defaults["partitioner"] == "murmur2_random")
        #expect(KafkaConsumer.defaults.partitionAssignmentStrategy == "cooperative-sticky")
        #expect(KafkaConsumer.defaults.enableAutoOffsetStore == false)
        #expect(KafkaConsumer.defaults.enableAutoCommit == false)
    }
}
