import Testing

/// Integration tests against librdkafka's embedded mock cluster. Serialized: each starts its own
/// cluster and clients, and together they would overload a small CI machine.
@Suite(.serialized) struct EmbeddedKafkaTests {}
