import NIOCore

extension ChannelHandlerContext {
    /// Ends a connection after a refusal written with `written`: half-closes once the reply is
    /// out, and closes fully when the peer closes or after `linger`. Closing at once with unread
    /// input would send a RST, which can destroy the reply before the peer has read it.
    func closeAfterRefusal(written: EventLoopFuture<Void>, linger: TimeAmount) {
        let loopBound = self.loopBound
        written.whenComplete { _ in
            loopBound.value.close(mode: .output, promise: nil)
        }
        self.eventLoop.scheduleTask(in: linger) {
            loopBound.value.close(promise: nil)
        }
    }

    /// Closes the connection in `timeout` unless the returned task is cancelled, counting it as a
    /// timeout in `state` (the connection timers of the HTTP side).
    func scheduleTimeout(in timeout: TimeAmount, state: String, metrics: TransportMetrics) -> Scheduled<Void> {
        let loopBound = self.loopBound
        return self.eventLoop.scheduleTask(in: timeout) {
            metrics.timedOut(state: state)
            loopBound.value.close(promise: nil)
        }
    }
}
