import NIOCore
import NIOHTTP1

/// Answers HTTP requests on the metrics port: `GET /metrics` (and `HEAD`) with the exposition
/// `render` gives, `/` with a pointer to it, anything else with 404 (405 for other methods).
final class MetricsRequestHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  /// The content type of the Prometheus text format.
  static let contentType = "text/plain; version=0.0.4; charset=utf-8"

  private let render: @Sendable () -> [UInt8]
  private var head: HTTPRequestHead?

  init(render: @escaping @Sendable () -> [UInt8]) { self.render = render }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let h): head = h
    case .body: break
    case .end:
      guard let h = head else { return }
      head = nil
      respond(to: h, context: context)
    }
  }

  private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
    let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
    let status: HTTPResponseStatus
    let body: [UInt8]
    var type = "text/plain; charset=utf-8"
    if request.method != .GET && request.method != .HEAD {
      (status, body) = (.methodNotAllowed, Array("only GET and HEAD\n".utf8))
    } else if path == "/metrics" {
      (status, body, type) = (.ok, render(), Self.contentType)
    } else if path == "/" {
      (status, body) = (.ok, Array("flowstore serve: metrics at /metrics\n".utf8))
    } else {
      (status, body) = (.notFound, Array("not found: metrics are at /metrics\n".utf8))
    }
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: type)
    headers.add(name: "Content-Length", value: String(body.count))
    let keepAlive = request.isKeepAlive
    if !keepAlive { headers.add(name: "Connection", value: "close") }
    let head = HTTPResponseHead(version: request.version, status: status, headers: headers)
    context.write(wrapOutboundOut(.head(head)), promise: nil)
    if request.method != .HEAD {
      context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
    }
    let channel = context.channel
    context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
      if !keepAlive { channel.close(promise: nil) }
    }
  }
}
