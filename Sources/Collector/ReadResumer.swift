import NIOCore

/// Ends a paused channel's pause: one per ``ReceiveHandler``, scheduled again after every pause
/// through `scheduleCallback`, so a pause allocates no task closure or promise.
final class ReadResumer: NIOScheduledCallbackHandler, Sendable {
  private let handler: NIOLoopBound<ReceiveHandler>
  private let context: NIOLoopBound<ChannelHandlerContext>

  init(_ handler: ReceiveHandler, _ context: ChannelHandlerContext) {
    self.handler = NIOLoopBound(handler, eventLoop: context.eventLoop)
    self.context = NIOLoopBound(context, eventLoop: context.eventLoop)
  }

  func handleScheduledCallback(eventLoop: some EventLoop) {
    let context = self.context.value
    if context.channel.isActive { handler.value.resume(context: context) }
  }
}
