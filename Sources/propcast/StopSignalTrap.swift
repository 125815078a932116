import Dispatch
import Foundation
import PropcastCoordinator

/// Turns SIGINT and SIGTERM into a ``BatchStopSignal`` for as long as it lives: the batch
/// stops dispatching, journals what has arrived and reports, instead of the process dying.
final class StopSignalTrap {
    let signal: BatchStopSignal
    private let sources: [any DispatchSourceSignal]

    init() {
        let stop = BatchStopSignal()
        signal = stop
        sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                printToStderr("propcast: \(name) received; stopping the batch (answers that arrived are journaled)")
                Task { await stop.trigger(name) }
            }
            source.resume()
            return source
        }
    }

    /// Restores the default signal handling.
    func remove() {
        for source in sources { source.cancel() }
        Foundation.signal(SIGINT, SIG_DFL)
        Foundation.signal(SIGTERM, SIG_DFL)
    }
}
