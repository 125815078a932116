import NIOCore
import NIOHTTP1
import Prometheus

/// Answers `GET /metrics` with the registry in Prometheus text format and anything else
/// with 404. Sits behind NIO's own HTTP/1.1 codec; keep-alive is honoured.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private let readiness: WorkerReadiness
    private let beforeScrape: @Sendable () -> Void
    private var request: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry, readiness: WorkerReadiness, beforeScrape: @escaping @Sendable () -> Void) {
        self.registry = registry
        self.readiness = readiness
        self.beforeScrape = beforeScrape
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            return
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let status: HTTPResponseStatus
        var body: [UInt8] = []
        var headers = HTTPHeaders()
        switch (head.method, path) {
        case (.GET, "/metrics"):
            status = .ok
            beforeScrape()
            var exposition: [UInt8] = []
            registry.emit(into: &exposition)
            body = MetricsHelp.annotate(exposition)
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
        case (.GET, "/healthz"):
            status = .ok
            body = Array("ok\n".utf8)
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        case (.GET, "/readyz"):
            let state = readiness.current
            status = state == .serving ? .ok : .serviceUnavailable
            body = Array((state == .serving ? "ready\n" : "not ready: \(state)\n").utf8)
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        default:
            status = .notFound
            body = Array("not found: GET /metrics, /healthz and /readyz are served\n".utf8)
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        }
        headers.add(name: "Content-Length", value: "\(body.count)")
        let keepAlive = head.isKeepAlive
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
