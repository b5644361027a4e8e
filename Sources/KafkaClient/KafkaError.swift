/// An error reported by the Kafka client layer.
///
/// `message` never contains secret configuration values: secrets are referred to by their
/// property name and source (environment variable name or file path) only.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a closed set of kinds.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case configuration
            case secretUnavailable
            case client
            case timedOut
            case unsupportedByBroker
            case transaction
            case illegalState
            case invalidArgument
            case portInUse
            case io
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A configuration property is unknown or has an invalid value.
        public static let configuration = Code(.configuration)
        /// A secret could not be read from its environment variable or file.
        public static let secretUnavailable = Code(.secretUnavailable)
        /// librdkafka reported an error; see ``KafkaError/responseError``.
        public static let client = Code(.client)
        /// An operation did not complete within its timeout.
        public static let timedOut = Code(.timedOut)
        /// The broker does not implement the API the operation needs (e.g. the embedded mock cluster
        /// has no CreateTopics).
        public static let unsupportedByBroker = Code(.unsupportedByBroker)
        /// A transactional operation failed; see ``KafkaError/transactionErrorKind``.
        public static let transaction = Code(.transaction)
        /// The call is not allowed in the current state (e.g. polling a closed consumer, or polling
        /// one consumer from two threads at once).
        public static let illegalState = Code(.illegalState)
        /// An argument is out of range or malformed.
        public static let invalidArgument = Code(.invalidArgument)
        /// A TCP port requested for listening is already in use.
        public static let portInUse = Code(.portInUse)
        /// A socket or file operation failed.
        public static let io = Code(.io)

        public var description: String {
            switch base {
            case .configuration: "configuration"
            case .secretUnavailable: "secretUnavailable"
            case .client: "client"
            case .timedOut: "timedOut"
            case .unsupportedByBroker: "unsupportedByBroker"
            case .transaction: "transaction"
            case .illegalState: "illegalState"
            case .invalidArgument: "invalidArgument"
            case .portInUse: "portInUse"
            case .io: "io"
            }
        }
    }

    /// How a transactional error must be handled (from librdkafka's `rd_kafka_error_t` flags).
    public enum TransactionErrorKind: Sendable, Hashable {
        /// The operation may be retried as is (e.g. a commit that timed out).
        case retriable
        /// The transaction must be aborted with ``KafkaProducer/abortTransaction(timeout:)``; then a
        /// new one may begin.
        case abortRequired
        /// The producer is unusable (e.g. fenced by a newer instance); it must be closed and recreated.
        case fatal
    }

    /// The kind of error.
    public var code: Code
    /// A human-readable explanation, free of secret values.
    public var message: String
    /// The librdkafka error code, when librdkafka reported the error.
    public var responseError: KafkaResponseError?
    /// For transactional operations: whether to retry, abort or give up.
    public var transactionErrorKind: TransactionErrorKind?

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        responseError: KafkaResponseError? = nil,
        transactionErrorKind: TransactionErrorKind? = nil
    ) {
        self.code = code
        self.message = message
        self.responseError = responseError
        self.transactionErrorKind = transactionErrorKind
    }

    public var description: String {
        var text = "KafkaError.\(code): \(message)"
        if let responseError { text += " [\(responseError.name)]" }
        if let transactionErrorKind { text += " (transaction: \(transactionErrorKind))" }
        return text
    }
}
