// swift-tools-version:6.1
// Benchmark of the statistics core (issue 3). Kept out of the main package so it adds nothing to test builds.
import PackageDescription

let package = Package(
    name: "StatsBenchmark",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(name: "StatsBenchmark", dependencies: [.product(name: "PeerLensStats", package: "main")]),
    ]
)
