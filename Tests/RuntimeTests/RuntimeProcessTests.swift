import Testing

/// The runtime's integration tests run the built `plantstream` binary against an embedded broker; they run one
/// after another (each starts several processes on a small machine).
@Suite(.serialized) struct RuntimeProcessTests {}
