import Logging
import NIOCore
import PropcastCoordinator
import PropcastModels
import PropcastTLS

/// Runs one date to its end: the service's one way to predict (a ``BatchRunner`` in
/// production; scenario tests pass their own).
public protocol DateRunning: Sendable {
    /// Runs `date`; `progress` is called while answers arrive.
    func run(_ date: GameDate, trigger: RunTrigger,
             progress: @escaping @Sendable (BatchProgress) -> Void) async -> Result<BatchReport, BatchError>
}

/// ``DateRunning`` with a ``BatchRunner`` per run, over shared event loops and TLS context;
/// every run stops when the service's stop signal fires.
public struct BatchDateRunner: DateRunning {
    let template: BatchConfiguration
    let tls: TLSContext
    let group: any EventLoopGroup
    let logger: Logger
    let stop: BatchStopSignal

    public init(template: BatchConfiguration, tls: TLSContext, group: any EventLoopGroup, logger: Logger,
                stop: BatchStopSignal) {
        self.template = template
        self.tls = tls
        self.group = group
        self.logger = logger
        self.stop = stop
    }

    public func run(_ date: GameDate, trigger: RunTrigger,
                    progress: @escaping @Sendable (BatchProgress) -> Void) async -> Result<BatchReport, BatchError> {
        var configuration = template
        configuration.date = date
        // The watch only starts a ready date; an API trigger says the store is done; a past
        // date will not get readier: none of them waits for readiness.
        configuration.readinessWait = .zero
        var logger = self.logger
        logger[metadataKey: "date"] = "\(date)"
        logger[metadataKey: "trigger"] = "\(trigger.rawValue)"
        return await BatchRunner(configuration: configuration, tls: tls, group: group, logger: logger, stop: stop)
            .result(progress: progress)
    }
}
