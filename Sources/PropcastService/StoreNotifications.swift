import Foundation
import Logging
import PropcastModels
import PropcastPostgres
import Synchronization

/// The event path of a PostgreSQL store: the feature-store writer runs
/// `NOTIFY propcast_store_ready, 'YYYY-MM-DD'` when a date is written, and the service starts
/// that date at once (duplicates answer "running" or "already complete", as for the HTTP
/// trigger). The LISTEN connection waits on a thread of its own and reconnects with back-off.
final class StoreNotifications: Sendable {
    private let url: PostgresURL
    private let channel: String
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)

    init(url: PostgresURL, channel: String, logger: Logger) {
        self.url = url
        self.channel = channel
        self.logger = logger
    }

    /// Dates notified, until the task is cancelled. `listening` is called each time a LISTEN
    /// is in place (after a reconnect too).
    func dates(listening: @escaping @Sendable () -> Void = {}) -> AsyncStream<GameDate> {
        let (stream, continuation) = AsyncStream.makeStream(of: GameDate.self)
        let thread = Thread { [self] in
            listen(continuation, listening: listening)
            continuation.finish()
        }
        thread.name = "propcast-store-notify"
        continuation.onTermination = { [self] _ in stopped.store(true, ordering: .relaxed) }
        thread.start()
        return stream
    }

    private func listen(_ continuation: AsyncStream<GameDate>.Continuation, listening: @Sendable () -> Void) {
        var backoff = Duration.milliseconds(250)
        while !stopped.load(ordering: .relaxed) {
            do {
                let listener = try PostgresListener(url: url, channel: channel)
                logger.info("listening for store notifications", metadata: ["channel": "\(channel)", "store": "\(url.masked)"])
                listening()
                backoff = .milliseconds(250)
                while !stopped.load(ordering: .relaxed) {
                    for notification in try listener.wait(timeout: .milliseconds(500)) {
                        let payload = notification.payload.trimmingCharacters(in: .whitespaces)
                        guard let date = GameDate(payload) else {
                            logger.warning("ignored a store notification: the payload is not a YYYY-MM-DD date",
                                           metadata: ["channel": "\(channel)", "payload": "\(payload.prefix(80))"])
                            continue
                        }
                        continuation.yield(date)
                    }
                }
            } catch {
                logger.warning("store notifications interrupted; reconnecting",
                               metadata: ["error": "\(error)", "retry_in": "\(backoff)"])
                Thread.sleep(forTimeInterval: backoff / .seconds(1))
                backoff = min(backoff * 2, .seconds(30))
            }
        }
    }
}
