#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// POSIX socket helpers for ``KafkaEmbeddedListener`` (loopback only).
enum KafkaListenerSocket {
    static func failure(_ operation: String) -> KafkaError {
        KafkaError(.io, "\(operation) failed: \(String(cString: strerror(errno)))")
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    /// A listening socket on 127.0.0.1:`port`.
    static func listen(port: Int) throws(KafkaError) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure("socket") }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if bound != 0 {
            let code = errno
            close(fd)
            if code == EADDRINUSE {
                throw KafkaError(.portInUse, "port \(port) on 127.0.0.1 is already in use")
            }
            errno = code
            throw failure("bind to 127.0.0.1:\(port)")
        }
        guard Glibc.listen(fd, 128) == 0 else {
            let error = failure("listen on 127.0.0.1:\(port)")
            close(fd)
            throw error
        }
        return fd
    }

    /// The local port a socket is bound to.
    static func localPort(_ fd: Int32) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return result == 0 ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    /// A connected socket to 127.0.0.1:`port`, or nil.
    static func connectLoopback(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// Writes `count` bytes of `buffer` (MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE).
    static func sendAll(_ fd: Int32, _ buffer: [UInt8], _ count: Int) -> Bool {
        buffer.withUnsafeBytes { bytes in
            var sent = 0
            while sent < count {
                let result = send(fd, bytes.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL))
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                sent += result
            }
            return true
        }
    }
}
