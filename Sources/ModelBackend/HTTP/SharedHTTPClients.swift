import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore

/// Process-wide HTTP clients, one per connect timeout.
///
/// An `HTTPClient` must be shut down before it is released; a model value may be dropped at any
/// time, so the clients live for the whole process instead (like `HTTPClient.shared`), and all
/// models with the same connect timeout share one connection pool.
enum SharedHTTPClients {
    private static let clients = NIOLockedValueBox<[Duration: HTTPClient]>([:])

    static func client(connectTimeout: Duration) -> HTTPClient {
        clients.withLockedValue { clients in
            if let client = clients[connectTimeout] { return client }
            var configuration = HTTPClient.Configuration()
            configuration.timeout = .init(
                connect: .nanoseconds(Int64(connectTimeout.seconds * 1e9)),
                read: nil
            )
            // Enough connections for every slot of a server plus probes.
            // Idle connections are dropped before llama.cpp's keep-alive timeout (5 s) closes
            // them under a request.
            configuration.connectionPool = .init(
                idleTimeout: .seconds(4),
                concurrentHTTP1ConnectionsPerHostSoftLimit: 32
            )
            // A refused connection is reported at once ("is the server running?") instead of
            // being retried until the connect timeout.
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.decompression = .disabled
            configuration.redirectConfiguration = .disallow
            let client = HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                configuration: configuration
            )
            clients[connectTimeout] = client
            return client
        }
    }
}
