import ArgumentParser

/// The `propcast` command: one executable for workers, the coordinator and operators.
@main
struct Propcast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propcast",
        abstract: "NBA player-points prop predictions on a pool of worker hosts.",
        version: "0.1.0",
        subcommands: [
            WorkerCommand.self,
            BatchCommand.self,
            DemoCommand.self,
            JournalCommand.self,
            PredictCommand.self,
            StoreCommand.self,
            GradeCommand.self,
            ModelCommand.self,
            PingCommand.self,
            BenchCommand.self,
        ]
    )
}
