import ArgumentParser

/// One or two command lines that `--help` prints at its end, under EXAMPLES.
protocol CommandExamples {
    static var examples: [String] { get }
}

extension Propcast: CommandExamples {
    static let examples = ["propcast demo", "propcast batch run --help"]
}
extension WorkerCommand: CommandExamples {
    static let examples = [
        "propcast worker --listen 0.0.0.0:7420 --cert /etc/propcast/worker.pem --key /etc/propcast/worker.key "
            + "--ca /etc/propcast/ca.pem --metrics-port 9420",
    ]
}
extension BatchCommand: CommandExamples {
    static let examples = ["propcast batch run --date 2025-01-15 --workers-file /etc/propcast/workers.txt --cert c.pem --key c.key --ca ca.pem",
                           "propcast batch status --date 2025-01-15 --json"]
}
extension BatchRunCommand: CommandExamples {
    static let examples = [
        "propcast batch run --date 2025-01-15 --store propcast.sqlite --workers 10.0.0.5:7420,10.0.0.6:7420 "
            + "--cert coordinator.pem --key coordinator.key --ca ca.pem",
        "propcast batch run --date 2025-01-15 --workers-file /etc/propcast/workers.txt --wait 2h --log-format json ...",
    ]
}
extension BatchRetryCommand: CommandExamples {
    static let examples = ["propcast batch retry --date 2025-01-15 --workers-file /etc/propcast/workers.txt --cert c.pem --key c.key --ca ca.pem"]
}
extension BatchStatusCommand: CommandExamples {
    static let examples = ["propcast batch status --date 2025-01-15 --store propcast.sqlite --journal-dir journal",
                           "propcast batch status --date 2025-01-15 --json | jq .coverage"]
}
extension BatchBackfillCommand: CommandExamples {
    static let examples = ["propcast batch backfill --from 2024-10-22 --to 2025-04-13 --jobs 4 "
                           + "--workers-file /etc/propcast/workers.txt --cert c.pem --key c.key --ca ca.pem"]
}
extension CoordinatorCommand: CommandExamples {
    static let examples = [
        "propcast coordinator --store /var/lib/propcast/propcast.sqlite --workers-file /etc/propcast/workers.txt "
            + "--cert c.pem --key c.key --ca ca.pem --alert-webhook http://127.0.0.1:9000/hook",
        "propcast coordinator --date 2025-01-15 --watch-until 24:00 --poll-interval 5s --workers 127.0.0.1:7420 "
            + "--cert c.pem --key c.key --ca ca.pem",
    ]
}
extension DemoCommand: CommandExamples {
    static let examples = ["propcast demo", "propcast demo --dir /tmp/propcast-demo --workers 3 --date 2025-02-01"]
}
extension JournalCommand: CommandExamples {
    static let examples = ["propcast journal tail -f --journal-dir journal", "propcast journal verify --all --journal-dir journal"]
}
extension JournalTailCommand: CommandExamples {
    static let examples = ["propcast journal tail --date 2025-01-15 --journal-dir journal -f",
                           "propcast journal tail --date 2025-01-15 --all --player lebronjames --json"]
}
extension JournalVerifyCommand: CommandExamples {
    static let examples = ["propcast journal verify --date 2025-01-15 --journal-dir journal",
                           "propcast journal verify --date 2025-01-15 --expect-head 4512:9b1d…(64 hex digits)"]
}
extension JournalExportCommand: CommandExamples {
    static let examples = ["propcast journal export --date 2025-01-15 --journal-dir journal --sqlite predictions.sqlite",
                           "propcast journal export --all --journal-dir journal --postgres 'postgresql://propcast@db.example/propcast?sslmode=verify-full&sslrootcert=/etc/propcast/db-ca.pem'"]
}
extension JournalStressAppendCommand: CommandExamples {
    static let examples = ["propcast journal stress-append --dir /tmp/j --date 2025-01-15 --count 400"]
}
extension PredictCommand: CommandExamples {
    static let examples = ["propcast predict --store propcast.sqlite --date 2025-01-15 --player lebronjames",
                           "propcast predict --input players.json --json"]
}
extension StoreCommand: CommandExamples {
    static let examples = ["propcast store seed --store propcast.sqlite", "propcast store info --store propcast.sqlite --date 2025-01-15"]
}
extension StoreCommand.Seed: CommandExamples {
    static let examples = ["propcast store seed --store propcast.sqlite",
                           "propcast store seed --store postgresql://propcast@127.0.0.1:5432/propcast --players 60 --last-date 2024-12-01"]
}
extension StoreCommand.Info: CommandExamples {
    static let examples = ["propcast store info --store propcast.sqlite", "propcast store info --store propcast.sqlite --date 2025-01-15"]
}
extension GradeCommand: CommandExamples {
    static let examples = ["propcast grade --store propcast.sqlite --from 2025-01-01 --to 2025-01-31",
                           "propcast grade --store propcast.sqlite --from 2025-03-01 --to 2025-04-13 --json | jq '.systems[] | {system_id, mae}'"]
}
extension ModelCommand: CommandExamples {
    static let examples = ["propcast model score --model Ops/models/xgboost_v1.json --csv Ops/models/xgboost_v1_parity.csv "
        + "--ignore-column xgboost_prediction"]
}
extension ModelCommand.Score: CommandExamples {
    static let examples = ModelCommand.examples
}
extension PingCommand: CommandExamples {
    static let examples = ["propcast ping 10.0.0.5:7420 --cert coordinator.pem --key coordinator.key --ca ca.pem -c 5"]
}
extension BenchCommand: CommandExamples {
    static let examples = ["propcast bench engine", "propcast bench batch --certs /tmp/certs --runs 3"]
}
extension BenchEngineCommand: CommandExamples {
    static let examples = ["propcast bench engine", "propcast bench engine --players 5000 --rounds 5"]
}
extension BenchModelLoadCommand: CommandExamples {
    static let examples = ["propcast bench model-load", "propcast bench model-load --model Ops/models/xgboost_v1.json --runs 3"]
}
extension BenchJournalCommand: CommandExamples {
    static let examples = ["propcast bench journal", "propcast bench journal --appenders 32 --dir /var/lib/propcast/bench"]
}
extension BenchTLSCommand: CommandExamples {
    static let examples = ["Ops/certs.sh --dir /tmp/certs 127.0.0.1 && propcast bench tls --certs /tmp/certs --duration 5s"]
}
extension BenchBackfillCommand: CommandExamples {
    static let examples = ["propcast bench backfill --certs /tmp/certs --runs 3"]
}
extension BenchPostgresCommand: CommandExamples {
    static let examples = ["propcast bench postgres --postgres postgresql://propcast@127.0.0.1:5432/propcast_bench"]
}
extension BenchBatchCommand: CommandExamples {
    static let examples = ["propcast bench batch --certs /tmp/certs --runs 3",
                           "propcast bench batch --certs /tmp/certs --workers 1,2,4,8 --slots 4 --simulate-latency 20ms"]
}

extension CommandExamples {
    /// The EXAMPLES section that ends `--help`.
    static var examplesSection: String {
        "EXAMPLES:\n" + examples.map { "  " + $0 }.joined(separator: "\n")
    }
}

extension Propcast {
    /// The command the arguments name (`propcast batch run --help` → `BatchRunCommand`), for
    /// the examples that end its help.
    static func command(named arguments: [String]) -> any ParsableCommand.Type {
        var command: any ParsableCommand.Type = Propcast.self
        for word in arguments where !word.hasPrefix("-") && word != "help" {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            command = next
        }
        return command
    }
}
