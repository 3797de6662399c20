#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A TCP proxy on the loopback address that forwards to `127.0.0.1:targetPort` and cuts every connection (both
/// sides closed) when it has carried `cutAfterBytes` bytes from the client, or `cutAfter` after it was accepted,
/// whichever comes first: a server lost mid-operation, without stopping the real one. A byte budget cuts at the
/// same point of a client's work however fast the machine is; a time limit can strike while the client is busy
/// with something else.
public final class CuttingProxy: Sendable {
    /// The port the proxy listens on (chosen by the system).
    public let port: Int
    private let listener: Int32
    private let sockets = SocketList()

    /// The forwarded connections' sockets, shared with the accepting thread.
    private final class SocketList: Sendable {
        let list = Mutex<[Int32]>([])
    }

    public init(targetPort: Int, cutAfter: Duration = .seconds(3600), cutAfterBytes: Int = .max) throws {
        let listeningSocket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listeningSocket >= 0 else { throw ProxyError(what: "socket") }
        listener = listeningSocket
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listeningSocket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listeningSocket, 8) == 0 else { throw ProxyError(what: "bind/listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listeningSocket, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let sockets = sockets
        Thread.detachNewThread {
            while true {
                let client = accept(listeningSocket, nil, nil)
                guard client >= 0 else { return }  // the listener was closed
                let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var target = Self.loopback(port: targetPort)
                let connected = withUnsafePointer(to: &target) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard connected == 0 else { _ = close(client); _ = close(upstream); continue }
                sockets.list.withLock { $0 += [client, upstream] }
                Thread.detachNewThread { Self.pump(from: client, to: upstream, cutAfterBytes: cutAfterBytes, alsoCut: upstream) }
                Thread.detachNewThread { Self.pump(from: upstream, to: client, cutAfterBytes: .max, alsoCut: client) }
                let delay = Double(cutAfter.components.seconds) + Double(cutAfter.components.attoseconds) / 1e18
                DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
                    _ = shutdown(client, Int32(SHUT_RDWR))
                    _ = shutdown(upstream, Int32(SHUT_RDWR))
                }
            }
        }
    }

    /// Stops listening and closes every forwarded connection.
    public func stop() {
        _ = shutdown(listener, Int32(SHUT_RDWR))
        _ = close(listener)
        for socket in sockets.list.withLock({ $0 }) { _ = shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// Copies `source` to `destination` until either ends; after `cutAfterBytes` bytes, shuts both down (and
    /// `alsoCut`, the other side of the connection) instead of forwarding more.
    private static func pump(from source: Int32, to destination: Int32, cutAfterBytes: Int, alsoCut: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var carried = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            carried += count
            if carried > cutAfterBytes {
                for socket in [source, destination, alsoCut] { _ = shutdown(socket, Int32(SHUT_RDWR)) }
                return
            }
            var written = 0
            while written < count {
                let result = buffer.withUnsafeBytes { write(destination, $0.baseAddress! + written, count - written) }
                guard result > 0 else { _ = shutdown(source, Int32(SHUT_RDWR)); return }
                written += result
            }
        }
        _ = shutdown(destination, Int32(SHUT_RDWR))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    struct ProxyError: Error, CustomStringConvertible {
        let what: String
        var description: String { "the test proxy's \(what) failed (errno \(errno))" }
    }
}
