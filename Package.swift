// swift-tools-version:6.1
// PeerLens — an evidence workbench for mental-health peer-support communities.
// Licensed GPL-3.0-or-later (it links GSL, which is GPL).

import PackageDescription

let package = Package(
    name: "PeerLens",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "peerlens", targets: ["peerlens"]),
        .library(name: "PeerLensStats", targets: ["PeerLensStats"]),
        .library(name: "PeerLensLog", targets: ["PeerLensLog"]),
        .library(name: "PeerLensStore", targets: ["PeerLensStore"]),
        .library(name: "PeerLensSimulator", targets: ["PeerLensSimulator"]),
        .library(name: "PeerLensSafety", targets: ["PeerLensSafety"]),
        .library(name: "PeerLensResearch", targets: ["PeerLensResearch"]),
        .library(name: "PeerLensDocument", targets: ["PeerLensDocument"]),
        .library(name: "PeerLensReport", targets: ["PeerLensReport"]),
        .library(name: "PeerLensCommands", targets: ["PeerLensCommands"]),
        .library(name: "PeerLensArrow", targets: ["PeerLensArrow"]),
        .library(name: "PeerLensSpark", targets: ["PeerLensSpark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Test only: property-based tests of the ingest invariants (PeerLensCommandsTests: they compare analyses too).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // Spark Connect (issue 16), for PeerLensSpark only: gRPC over HTTP/2 and the protocol's messages.
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        // No default traits: they add Foundation stream and field-mask helpers the generated code does not use.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0", traits: []),
    ],
    targets: [
        // MARK: C libraries (implementation details, not products)

        /// GNU Scientific Library (libgsl-dev).
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        /// zlib, for streaming `.gz` input (zlib1g-dev).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        /// OpenSSL's libcrypto, for the SHA-256 of every ingested file (libssl-dev).
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        /// Tuning of the system SQLite that GRDB cannot express (libsqlite3-dev).
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        /// A small C API over simdjson (libsimdjson-dev), which is C++ only.
        .target(
            name: "CSimdJSON",
            cxxSettings: [.unsafeFlags(["-O3"])],
            linkerSettings: [.linkedLibrary("simdjson")]
        ),

        // MARK: Libraries

        /// Numeric core: intervals, discrimination, calibration, thresholds, tests, survival.
        /// Knows nothing of logs or SQLite.
        .target(name: "PeerLensStats", dependencies: ["CGSL"]),
        /// Interaction-log format v1: event model, validation, anonymity checks, readers.
        .target(name: "PeerLensLog", dependencies: [
            "CSimdJSON", "CZlib",
        ]),
        /// The SQLite store: schema (GRDB migrations), ingestion, quarantine, checks.
        .target(name: "PeerLensStore", dependencies: [
            "PeerLensLog", "CCrypto", "CSQLite",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        /// The one output path: the typed document model, the disclosure policy every published number passes,
        /// and the text, Markdown, HTML (inline SVG charts) and JSON renderers. Below every analysis.
        .target(name: "PeerLensDocument", dependencies: ["PeerLensStats"]),
        /// Safety-team analyses over the store: risk evaluation, thresholds, moderation, crisis response.
        .target(name: "PeerLensSafety", dependencies: [
            "PeerLensStore", "PeerLensStats", "PeerLensLog",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        /// Community health index and SDG impact indicators over the store.
        .target(name: "PeerLensCommunity", dependencies: [
            "PeerLensStore", "PeerLensStats", "PeerLensLog",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        /// Research analyses over the store: mood outcomes, engagement and retention, matching, groups, skills.
        .target(name: "PeerLensResearch", dependencies: [
            "PeerLensStore", "PeerLensStats", "PeerLensLog",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        /// Document builders (one per analysis), the safety, research and funder reports, provenance, and
        /// notebook parsing.
        .target(name: "PeerLensReport", dependencies: [
            "PeerLensDocument", "PeerLensSafety", "PeerLensCommunity", "PeerLensResearch", "PeerLensStats", "PeerLensStore", "PeerLensLog",
        ]),
        /// The command registry: every published command's options (parsed by ArgumentParser), its analysis and
        /// its document, shared by the `peerlens` executable and the in-process notebook runner.
        .target(name: "PeerLensCommands", dependencies: [
            "PeerLensReport", "PeerLensDocument", "PeerLensSafety", "PeerLensCommunity", "PeerLensResearch", "PeerLensStats", "PeerLensStore",
            "PeerLensLog", "PeerLensSimulator", "PeerLensSpark", "PeerLensSparkEngine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        /// Arrow IPC stream decoder and encoder in pure Swift (no dependencies): the results Spark Connect returns
        /// and the client data it accepts.
        .target(name: "PeerLensArrow"),
        /// Spark Connect's messages and gRPC client, generated from the protocol of the Spark version that
        /// `.ci/spark-cluster` runs (`generate.sh` beside them). Package-visible: PeerLensSpark's implementation.
        .target(name: "SparkConnectProtocol", dependencies: [
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        ], exclude: ["generate.sh"]),
        /// The Spark Connect client: runs Spark SQL statements or plans on a Spark cluster (`sc://HOST:PORT`) and
        /// returns their Arrow IPC batches, with progress and typed errors. Its own target (and product) so that
        /// gRPC and the generated protocol are built only by what uses Spark.
        .target(name: "PeerLensSpark", dependencies: [
            "SparkConnectProtocol",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        /// The Spark engine (issue 16): PeerLens's tables in a Spark warehouse and the ingest into them, by the
        /// embedded ingest's rules, through the Spark Connect client.
        .target(name: "PeerLensSparkEngine", dependencies: [
            "PeerLensSpark", "PeerLensArrow", "PeerLensStore", "PeerLensLog",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        /// Seeded community simulator with known true parameters.
        .target(name: "PeerLensSimulator", dependencies: ["PeerLensLog", "PeerLensStats", "CZlib"]),

        // MARK: Command-line tool (thin)

        .executableTarget(name: "peerlens", dependencies: [
            "PeerLensLog", "PeerLensStore", "PeerLensSimulator", "PeerLensStats", "PeerLensSafety", "PeerLensCommunity", "PeerLensResearch", "PeerLensReport",
            "PeerLensDocument", "PeerLensCommands", "PeerLensSpark",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Tests (one target per library target)

        .testTarget(name: "PeerLensStatsTests", dependencies: ["PeerLensStats"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PeerLensLogTests", dependencies: ["PeerLensLog", "ProcessTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PeerLensStoreTests", dependencies: ["PeerLensStore", "PeerLensLog", "PeerLensSimulator", "ProcessTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PeerLensSimulatorTests", dependencies: ["PeerLensSimulator", "PeerLensLog"]),
        .testTarget(name: "PeerLensCommunityTests", dependencies: ["PeerLensCommunity", "PeerLensStore", "PeerLensSimulator", "PeerLensStats", "PeerLensLog"]),
        .testTarget(name: "PeerLensResearchTests", dependencies: ["PeerLensResearch", "PeerLensStore", "PeerLensSimulator", "PeerLensStats", "PeerLensLog"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PeerLensDocumentTests", dependencies: ["PeerLensDocument", "PeerLensStats"]),
        .testTarget(name: "PeerLensCommandsTests", dependencies: ["PeerLensCommands", "PeerLensReport", "PeerLensDocument", "PeerLensSafety", "PeerLensStore", "PeerLensSimulator", "PeerLensLog",
                                                              "PeerLensSpark", "PeerLensSparkEngine", "SparkTestSupport", "ProcessTestSupport",
                                                              .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "PeerLensReportTests", dependencies: ["PeerLensReport", "PeerLensDocument", "PeerLensSafety", "PeerLensCommunity", "PeerLensResearch", "PeerLensStore", "PeerLensSimulator", "PeerLensStats", "PeerLensLog",
                                                            "ProcessTestSupport"]),
        .testTarget(name: "PeerLensArrowTests", dependencies: ["PeerLensArrow"],
                    resources: [.copy("Fixtures")]),
        // Test support: child processes started and reaped without Foundation's `Process` (whose SIGCHLD handling
        // loses children once SwiftNIO's threads run: see ChildProcess.swift).
        .target(name: "ProcessTestSupport", path: "Tests/ProcessTestSupport"),
        // Test support: starts the local Spark cluster once for the tests that need it (`PEERLENS_SPARK_TESTS=1`).
        .target(name: "SparkTestSupport", dependencies: ["PeerLensSpark", "ProcessTestSupport"], path: "Tests/SparkTestSupport"),
        // The client's unit tests always run; those that need a cluster only with PEERLENS_SPARK_TESTS=1.
        .testTarget(name: "PeerLensSparkTests", dependencies: [
            "PeerLensSpark", "SparkConnectProtocol", "SparkTestSupport",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        ], resources: [.copy("Fixtures")]),
        // The engine's statement tests always run; the ingest into the local cluster only with PEERLENS_SPARK_TESTS=1.
        .testTarget(name: "PeerLensSparkEngineTests", dependencies: [
            "PeerLensSparkEngine", "PeerLensSpark", "PeerLensArrow", "PeerLensStore", "PeerLensLog", "SparkTestSupport", "ProcessTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "PeerLensSafetyTests", dependencies: ["PeerLensSafety", "PeerLensStore", "PeerLensSimulator", "PeerLensStats"],
                    resources: [.copy("Fixtures")]),
    ]
)
