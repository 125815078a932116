import ArgumentParser

/// `propcast bench`: performance measurements (never run as tests). Build with
/// `swift build -c release` for meaningful numbers.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure engine, model loading, journal and transport performance.",
        subcommands: [
            BenchEngineCommand.self,
            BenchModelLoadCommand.self,
            BenchJournalCommand.self,
            BenchTLSCommand.self,
            BenchBatchCommand.self,
            BenchBackfillCommand.self,
            BenchPostgresCommand.self,
        ]
    )
}
