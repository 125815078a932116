import Foundation

/// Paths inside the repository, found from this source file's location so tests work
/// from any working directory.
public enum RepositoryPaths {
    /// The repository root (the directory holding Package.swift).
    public static let root: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    /// `Ops/<name>`.
    public static func ops(_ name: String) -> String { "\(root)/Ops/\(name)" }

    /// `../shared/<name>`: the project's shared folder beside the repository (the parity
    /// oracle lives in `shared/parity`).
    public static func shared(_ name: String) -> String {
        URL(fileURLWithPath: root).deletingLastPathComponent().appendingPathComponent("shared/\(name)").path
    }

    /// `Protocols/<name>`.
    public static func protocols(_ name: String) -> String { "\(root)/Protocols/\(name)" }
}
