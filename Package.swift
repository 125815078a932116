// swift-tools-version:6.0
import PackageDescription

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

let package = Package(
    name: "propcast",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "propcast", targets: ["propcast"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // System OpenSSL 3 (libssl-dev): TLS for the transport, SHA-256 for ids and the journal.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // Mutual TLS as a NIO handler over OpenSSL memory BIOs.
        .target(name: "PropcastTLS", dependencies: ["COpenSSL", .product(name: "NIOCore", package: "swift-nio"), logging]),
        // Features, validation, the five systems, the XGBoost evaluator, the model registry.
        .target(name: "PropcastModels", dependencies: ["COpenSSL"]),
        // Protobuf envelope, framing, session state machines, client and server shells.
        .target(name: "PropcastWire", dependencies: [
            "PropcastTLS", "PropcastModels", .product(name: "NIOExtras", package: "swift-nio-extras"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"), logging,
        ] + nio),
        // The feature store (SQLite via GRDB) and the synthetic season generator.
        .target(name: "PropcastStore", dependencies: ["PropcastModels", .product(name: "GRDB", package: "GRDB.swift")]),
        // The write-ahead journal: group commit, recovery, verification, following.
        .target(name: "PropcastJournal", dependencies: ["COpenSSL", "PropcastModels", logging]),
        // The worker daemon: listener, slots, engine execution, drain, metrics.
        .target(name: "PropcastWorker", dependencies: [
            "PropcastTLS", "PropcastWire", "PropcastModels", .product(name: "NIOHTTP1", package: "swift-nio"), logging,
            .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ] + nio),
        // The coordinator: batch state, worker pool, dispatch, retries, coverage.
        .target(name: "PropcastCoordinator", dependencies: [
            "PropcastTLS", "PropcastWire", "PropcastModels", "PropcastStore", "PropcastJournal", logging,
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ] + nio),
        // The one executable.
        .executableTarget(name: "propcast", dependencies: [
            "PropcastTLS", "PropcastWire", "PropcastModels", "PropcastStore", "PropcastJournal", "PropcastWorker",
            "PropcastCoordinator", .product(name: "ArgumentParser", package: "swift-argument-parser"), logging,
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ] + nio),

        // Helpers shared by tests: temporary directories, certificates, child processes.
        .target(name: "PropcastTestSupport", path: "Tests/PropcastTestSupport"),
        .testTarget(name: "PropcastTLSTests", dependencies: [
            "PropcastTLS", "PropcastWire", "PropcastWorker", "PropcastTestSupport", logging,
        ] + nio),
        .testTarget(name: "PropcastWireTests", dependencies: [
            "PropcastWire", "PropcastTestSupport", .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOExtras", package: "swift-nio-extras"), .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ] + nio),
        .testTarget(name: "PropcastModelsTests", dependencies: ["PropcastModels", "PropcastTestSupport"]),
        .testTarget(name: "PropcastStoreTests", dependencies: [
            "PropcastStore", "PropcastModels", "PropcastJournal", "PropcastTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "PropcastJournalTests", dependencies: ["PropcastJournal", "PropcastModels", "PropcastTestSupport"]),
        .testTarget(name: "PropcastWorkerTests", dependencies: [
            "PropcastWorker", "PropcastWire", "PropcastModels", "PropcastTLS", "PropcastTestSupport", logging,
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ] + nio),
        .testTarget(name: "PropcastCoordinatorTests", dependencies: [
            "PropcastCoordinator", "PropcastJournal", "PropcastModels", "PropcastStore", "PropcastWire", "PropcastTestSupport",
            "PropcastTLS", "PropcastWorker", logging, .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // End-to-end: real worker processes, real mTLS on loopback, the real journal.
        .testTarget(name: "PropcastIntegrationTests", dependencies: [
            "PropcastCoordinator", "PropcastJournal", "PropcastModels", "PropcastStore", "PropcastTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
