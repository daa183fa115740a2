import NIOCore

/// Asks a paused channel for its next read: one per ``ReceiveHandler``, scheduled again after
/// every pause through `scheduleCallback`, so a pause allocates no task closure or promise.
final class ReadResumer: NIOScheduledCallbackHandler, Sendable {
  private let context: NIOLoopBound<ChannelHandlerContext>

  init(_ context: ChannelHandlerContext) {
    self.context = NIOLoopBound(context, eventLoop: context.eventLoop)
  }

  func handleScheduledCallback(eventLoop: some EventLoop) {
    let context = self.context.value
    if context.channel.isActive { context.read() }
  }
}
