import Foundation
import PropcastWire

/// The workers a batch dials: `--workers HOST:PORT,…` and a workers file (one `HOST:PORT` a
/// line; `#` starts a comment, blank lines are skipped), in order, each listed once.
public struct WorkerList: Sendable {
    /// The addresses, in the order given.
    public private(set) var endpoints: [Endpoint] = []
    /// Entries without a port, as written, with the default port they got.
    public private(set) var defaultedPorts: [(written: String, endpoint: Endpoint)] = []

    /// Parses `commaSeparated` then `file`'s lines. Throws ``BatchError`` (configuration)
    /// naming the bad entry, a worker listed twice, or an empty list.
    public init(commaSeparated: String?, file: (name: String, contents: String)?) throws {
        var texts = commaSeparated?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        if let file {
            texts += file.contents.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard !texts.isEmpty else {
            throw BatchError(.configuration, "no workers: give --workers HOST:PORT,… or --workers-file FILE")
        }
        for text in texts {
            do {
                let (endpoint, defaulted) = try Endpoint.worker(parsing: text)
                if defaulted { defaultedPorts.append((text, endpoint)) }
                endpoints.append(endpoint)
            } catch {
                throw BatchError(.configuration, "worker address\(file.map { " (in \($0.name))" } ?? ""): \(error)")
            }
        }
        let twice = Dictionary(grouping: endpoints, by: \.self).filter { $0.value.count > 1 }.keys
        guard twice.isEmpty else {
            throw BatchError(.configuration, "worker listed twice: \(twice.map(\.description).sorted().joined(separator: ", "))")
        }
    }
}
