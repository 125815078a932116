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
        // The system libpq (the reference PostgreSQL client, on the same system OpenSSL).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // A PostgreSQL client over libpq: connections, COPY, LISTEN/NOTIFY, masked URLs.
        .target(name: "PropcastPostgres", dependencies: ["CLibPQ", "PropcastErrors"]),
        // The one error shape of every module: a code to branch on and a description for people.
        .target(name: "PropcastErrors"),
        // SHA-256 on the system libcrypto.
        .target(name: "PropcastDigest", dependencies: ["COpenSSL"]),
        // Mutual TLS as a NIO handler over OpenSSL memory BIOs.
        .target(name: "PropcastTLS", dependencies: ["COpenSSL", "PropcastErrors", .product(name: "NIOCore", package: "swift-nio"), logging]),
        // XGBoost JSON models: scanner, validation, tree evaluation (no domain types).
        .target(name: "PropcastXGBoost", dependencies: ["PropcastDigest"]),
        // Features, validation, the five systems, the model registry, prediction ids.
        .target(name: "PropcastModels", dependencies: ["PropcastDigest", "PropcastXGBoost"]),
        // Protobuf envelope, framing, session state machines, client and server shells.
        .target(name: "PropcastWire", dependencies: [
            "PropcastErrors", "PropcastTLS", "PropcastModels", .product(name: "NIOExtras", package: "swift-nio-extras"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"), logging,
        ] + nio),
        // The feature store (SQLite via GRDB): schema, queries, readiness, row writing.
        .target(name: "PropcastStore", dependencies: [
            "PropcastModels", "PropcastPostgres", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // The deterministic synthetic season that seeds stores for the demo, tests and benchmarks.
        .target(name: "PropcastSeason", dependencies: ["PropcastModels", "PropcastStore"]),
        // The write-ahead journal: group commit, recovery, verification, following.
        .target(name: "PropcastJournal", dependencies: ["PropcastDigest", "PropcastModels", logging]),
        // The worker daemon: listener, slots, engine execution, drain, metrics, the daemon itself.
        .target(name: "PropcastWorker", dependencies: [
            "PropcastErrors", "PropcastHTTP", "PropcastTLS", "PropcastWire", "PropcastModels", .product(name: "NIOHTTP1", package: "swift-nio"),
            logging, .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ] + nio),
        // A small HTTP/1.1 server and webhook client on NIO's codec (TLS through PropcastTLS), Prometheus HELP lines.
        .target(name: "PropcastHTTP", dependencies: [
            "PropcastErrors", "PropcastTLS", .product(name: "NIOHTTP1", package: "swift-nio"), logging,
        ] + nio),
        // The coordinator: batch state, worker pool, dispatch, retries, coverage.
        .target(name: "PropcastCoordinator", dependencies: [
            "PropcastErrors", "PropcastTLS", "PropcastWire", "PropcastModels", "PropcastStore", "PropcastJournal", "PropcastPostgres", logging,
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ] + nio),
        // The coordinator service: the date watch, triggers, backfills, alerts, the HTTP API and dashboard.
        .target(name: "PropcastService", dependencies: [
            "PropcastCoordinator", "PropcastHTTP", "PropcastJournal", "PropcastModels", "PropcastPostgres", "PropcastStore", "PropcastTLS",
            "PropcastWire", logging, .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ] + nio),
        // Grading: predict past dates in-process and score each system against actual points.
        .target(name: "PropcastGrading", dependencies: ["PropcastModels", "PropcastStore"]),
        // Local worker processes (demo, benchmarks, tests): start N, read their ready lines, stop them.
        .target(name: "PropcastFleet", dependencies: ["PropcastWire"]),
        // `propcast demo`: a seeded store, dev certificates, local workers and one batch.
        .target(name: "PropcastDemo", dependencies: [
            "PropcastCoordinator", "PropcastFleet", "PropcastModels", "PropcastSeason", "PropcastTLS", logging,
        ] + nio),
        // The benchmarks behind `propcast bench`.
        .target(name: "PropcastBench", dependencies: [
            "PropcastCoordinator", "PropcastFleet", "PropcastJournal", "PropcastModels", "PropcastPostgres", "PropcastSeason", "PropcastStore",
            "PropcastTLS", "PropcastWire", "PropcastWorker", "PropcastXGBoost", logging,
        ] + nio),
        // What a terminal shows: the progress bar and log lines around it, the log formats, the duration format.
        .target(name: "PropcastConsole", dependencies: [logging]),
        // The one executable: parses flags, calls the libraries, prints.
        .executableTarget(name: "propcast", dependencies: [
            "PropcastBench", "PropcastConsole", "PropcastCoordinator", "PropcastDemo", "PropcastFleet", "PropcastGrading", "PropcastJournal", "PropcastModels", "PropcastPostgres",
            "PropcastSeason", "PropcastService", "PropcastHTTP", "PropcastStore", "PropcastTLS", "PropcastWire", "PropcastWorker",
            "PropcastXGBoost", .product(name: "ArgumentParser", package: "swift-argument-parser"), logging,
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ] + nio),

        // Helpers shared by tests: temporary directories, certificates, child processes, seeded stores.
        .target(name: "PropcastTestSupport", dependencies: [
            "PropcastJournal", "PropcastModels", "PropcastPostgres", "PropcastSeason", "PropcastStore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], path: "Tests/PropcastTestSupport"),
        .testTarget(name: "PropcastTLSTests", dependencies: [
            "PropcastTLS", "PropcastWire", "PropcastWorker", "PropcastTestSupport", logging,
        ] + nio),
        .testTarget(name: "PropcastWireTests", dependencies: [
            "PropcastWire", "PropcastTestSupport", .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOExtras", package: "swift-nio-extras"), .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ] + nio),
        .testTarget(name: "PropcastXGBoostTests", dependencies: ["PropcastXGBoost", "PropcastDigest", "PropcastTestSupport"]),
        .testTarget(name: "PropcastModelsTests", dependencies: [
            "PropcastModels", "PropcastDigest", "PropcastXGBoost", "PropcastTestSupport",
        ]),
        .testTarget(name: "PropcastStoreTests", dependencies: [
            "PropcastStore", "PropcastModels", "PropcastJournal", "PropcastTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "PropcastSeasonTests", dependencies: [
            "PropcastSeason", "PropcastStore", "PropcastModels", "PropcastTestSupport",
        ]),
        .testTarget(name: "PropcastGradingTests", dependencies: [
            "PropcastGrading", "PropcastModels", "PropcastStore", "PropcastTestSupport",
        ]),
        .testTarget(name: "PropcastJournalTests", dependencies: ["PropcastJournal", "PropcastModels", "PropcastTestSupport"]),
        .testTarget(name: "PropcastWorkerTests", dependencies: [
            "PropcastWorker", "PropcastWire", "PropcastModels", "PropcastTLS", "PropcastTestSupport", logging,
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ] + nio),
        .testTarget(name: "PropcastCoordinatorTests", dependencies: [
            "PropcastCoordinator", "PropcastJournal", "PropcastModels", "PropcastStore", "PropcastSeason", "PropcastWire",
            "PropcastTestSupport", "PropcastTLS", "PropcastWorker", logging, .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The coordinator service: its watch, alerts and API without I/O; the HTTP server, webhooks and the real daemon.
        .testTarget(name: "PropcastServiceTests", dependencies: [
            "PropcastService", "PropcastHTTP", "PropcastCoordinator", "PropcastJournal", "PropcastModels", "PropcastPostgres", "PropcastSeason", "PropcastStore",
            "PropcastFleet", "PropcastTLS", "PropcastTestSupport", logging, .product(name: "GRDB", package: "GRDB.swift"),
        ] + nio),
        // The command line as users run it: flags, exit statuses, outputs (the real binary).
        .testTarget(name: "PropcastCLITests", dependencies: [
            "propcast", "PropcastModels", "PropcastStore", "PropcastTestSupport",
        ]),
        // PostgreSQL: the client, the store and the predictions export against a real server (Ops/postgres-test-cluster.sh).
        .testTarget(name: "PropcastPostgresTests", dependencies: [
            "PropcastPostgres", "PropcastStore", "PropcastSeason", "PropcastCoordinator", "PropcastJournal", "PropcastModels",
            "PropcastFleet", "PropcastTestSupport", logging, .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // End-to-end: real worker processes, real mTLS on loopback, the real journal.
        .testTarget(name: "PropcastIntegrationTests", dependencies: [
            "PropcastCoordinator", "PropcastFleet", "PropcastJournal", "PropcastModels", "PropcastStore",
            "PropcastTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
