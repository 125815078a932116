import ArgumentParser

/// `propcast model …`: tools for the XGBoost model file.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect and score with the XGBoost JSON model.",
        subcommands: [Score.self])
}
