// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "propcast",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "propcast", targets: ["propcast"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // System OpenSSL 3 (libssl-dev): TLS for the transport, SHA-256 for the journal.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "PropcastTLS",
            dependencies: [
                "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PropcastWire",
            dependencies: [
                "PropcastTLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PropcastWorker",
            dependencies: [
                "PropcastTLS",
                "PropcastWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "PropcastModels", dependencies: ["COpenSSL"]),
        .target(
            name: "PropcastStore",
            dependencies: [
                "PropcastModels",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "PropcastJournal",
            dependencies: [
                "COpenSSL",
                "PropcastModels",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "propcast",
            dependencies: [
                "PropcastTLS",
                "PropcastWire",
                "PropcastWorker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Helpers shared by tests: temporary directories, certificates, child processes.
        .target(
            name: "PropcastTestSupport",
            path: "Tests/PropcastTestSupport"
        ),
        .testTarget(
            name: "PropcastTLSTests",
            dependencies: [
                "PropcastTLS", "PropcastWire", "PropcastWorker", "PropcastTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PropcastWireTests",
            dependencies: [
                "PropcastWire", "PropcastTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(name: "PropcastModelsTests", dependencies: ["PropcastModels", "PropcastTestSupport"]),
        .testTarget(name: "PropcastStoreTests", dependencies: ["PropcastStore", "PropcastTestSupport"]),
        .testTarget(name: "PropcastJournalTests", dependencies: ["PropcastJournal", "PropcastTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
