import Foundation
import JSON
import Simulator

/// Writes one JSON object per record to a file or standard output: topic, key, timestamp, type, fault,
/// headers, value (text, or base64 when the bytes are not UTF-8).
public struct JSONLinesRecordSink: SimulatedRecordSink {
    private let handle: FileHandle

    /// Creates the sink.
    /// - Parameter handle: Where lines go (opened for writing).
    public init(handle: FileHandle) { self.handle = handle }

    public mutating func send(_ record: SimulatedRecordView) throws(SimulatorSinkError) {
        handle.write(Data(Self.line(record)))
    }

    public mutating func finish() throws(SimulatorSinkError) -> String? {
        try? handle.synchronize()
        return nil
    }

    /// The JSON line of one record, newline included.
    public static func line(_ record: SimulatedRecordView) -> [UInt8] {
        var writer = JSONWriter(capacity: record.value.count + 256)
        writer.beginObject()
        writer.key("topic")
        writer.string(record.topic)
        writer.key("key")
        writer.string(utf8: record.key)
        writer.key("timestamp")
        writer.int(record.timestampMs)
        writer.key("type")
        writer.string(record.eventType.name)
        if let fault = record.fault {
            writer.key("fault")
            writer.string(fault.name)
        }
        if !record.headers.isEmpty {
            writer.key("headers")
            writer.beginObject()
            for header in record.headers {
                writer.key(header.name)
                writer.string(header.text)
            }
            writer.endObject()
        }
        if let text = String(validating: Array(record.value), as: UTF8.self) {
            writer.key("value")
            writer.string(text)
        } else {
            writer.key("valueBase64")
            writer.string(Data(record.value).base64EncodedString())
        }
        writer.endObject()
        return writer.bytes + [0x0A]
    }
}
