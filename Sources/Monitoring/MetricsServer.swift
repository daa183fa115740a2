import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
  import Glibc
#endif

/// The HTTP endpoint of `serve --metrics`: a swift-nio server on its own event loop thread that
/// answers `GET /metrics` with what `render` returns (the Prometheus text format).
public final class MetricsServer: Sendable {
  private let group: MultiThreadedEventLoopGroup
  private let channel: any Channel

  /// The port bound (the system's choice when 0 was asked).
  public let port: Int

  private init(group: MultiThreadedEventLoopGroup, channel: any Channel) {
    self.group = group
    self.channel = channel
    self.port = channel.localAddress?.port ?? 0
  }

  /// Listens on `host`:`port` (TCP) and serves `render()` at `/metrics`, called once per scrape
  /// on the server's thread.
  ///
  /// - Throws: ``MetricsServerError/bind(host:port:reason:)`` when the address cannot be bound.
  public static func start(
    host: String, port: Int, render: @escaping @Sendable () -> [UInt8]
  ) async throws(MetricsServerError) -> MetricsServer {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline()
          try channel.pipeline.syncOperations.addHandler(MetricsRequestHandler(render: render))
        }
      }
    do {
      let channel = try await bootstrap.bind(host: host, port: port).get()
      return MetricsServer(group: group, channel: channel)
    } catch {
      try? await group.shutdownGracefully()
      let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) }
      throw .bind(host: host, port: port, reason: reason ?? "\(error)")
    }
  }

  /// Stops listening and ends the server's thread.
  public func stop() async {
    try? await channel.close()
    try? await group.shutdownGracefully()
  }
}

/// Why the metrics endpoint could not start.
public enum MetricsServerError: Error, CustomStringConvertible {
  /// The address could not be bound (in use, not local, no permission).
  case bind(host: String, port: Int, reason: String)

  /// One line naming the address and the reason.
  public var description: String {
    switch self {
    case .bind(let host, let port, let reason):
      let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
      return "--metrics \(address): cannot listen: \(reason)"
    }
  }
}
