import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP listener on 127.0.0.1 that forwards each connection to an embedded broker, so clients
/// can bootstrap from a fixed port although librdkafka's mock brokers bind ephemeral ones.
///
/// Clients then connect to the broker addresses advertised in metadata (127.0.0.1:<ephemeral>).
public final class KafkaEmbeddedListener: Sendable {
    /// Closes its pipe when the last user (listener or forwarding thread) is gone.
    private final class WakePipe: Sendable {
        let readEnd: Int32
        let writeEnd: Int32

        init() throws(KafkaError) {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { throw KafkaListenerSocket.failure("pipe") }
            readEnd = fds[0]
            writeEnd = fds[1]
        }

        deinit {
            Glibc.close(readEnd)
            Glibc.close(writeEnd)
        }
    }

    /// The port clients bootstrap from.
    public let port: Int
    /// The port of the broker connections are forwarded to.
    public let targetPort: Int
    private let listenFD: Int32
    private let wake: WakePipe
    private let acceptThread: KafkaThread
    private let closed = Atomic<Bool>(false)

    init(port: Int, targetPort: Int) throws(KafkaError) {
        guard (0...65535).contains(port) else {
            throw KafkaError(.invalidArgument, "port \(port) is outside 0…65535")
        }
        let fd = try KafkaListenerSocket.listen(port: port)
        let wake: WakePipe
        do {
            wake = try WakePipe()
        } catch {
            Glibc.close(fd)
            throw error
        }
        self.listenFD = fd
        self.port = KafkaListenerSocket.localPort(fd) ?? port
        self.targetPort = targetPort
        self.wake = wake
        acceptThread = KafkaThread.detach(name: "ps-listen") {
            Self.acceptLoop(listenFD: fd, targetPort: targetPort, wake: wake)
        }
    }

    deinit {
        close()
    }

    /// Stops accepting and ends every forwarded connection. Idempotent.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = write(wake.writeEnd, &byte, 1)
        acceptThread.join()
        Glibc.close(listenFD)
    }

    private static func acceptLoop(listenFD: Int32, targetPort: Int, wake: WakePipe) {
        var fds = [
            pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = Glibc.poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            let client = accept(listenFD, nil, nil)
            guard client >= 0 else { continue }
            guard let upstream = KafkaListenerSocket.connectLoopback(port: targetPort) else {
                Glibc.close(client)
                continue
            }
            _ = KafkaThread.detach(name: "ps-forward") {
                pump(client, upstream, wake: wake)
            }
        }
    }

    /// Copies bytes both ways until either side closes or the listener closes.
    private static func pump(_ first: Int32, _ second: Int32, wake: WakePipe) {
        defer {
            Glibc.close(first)
            Glibc.close(second)
        }
        var fds = [
            pollfd(fd: first, events: Int16(POLLIN), revents: 0),
            pollfd(fd: second, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            for index in fds.indices { fds[index].revents = 0 }
            let ready = Glibc.poll(&fds, 3, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[2].revents != 0 { return }
            for (from, to) in [(0, 1), (1, 0)] where fds[from].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(fds[from].fd, $0.baseAddress, $0.count) }
                if count <= 0 { return }
                guard KafkaListenerSocket.sendAll(fds[to].fd, buffer, count) else { return }
            }
        }
    }
}
