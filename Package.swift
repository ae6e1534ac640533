// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "policycheck",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PolicyCheckKit", targets: ["PolicyCheckKit"]),
        .executable(name: "policycheck", targets: ["policycheck"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // `policycheck serve`: the HTTP server, its metrics in Prometheus text, signals and logging.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "PolicyCheckKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // The evaluator's closures read and write one activation's slots millions of times; release builds
            // leave out the run-time exclusivity checks on them, which debug builds (and the tests) keep.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "PolicyCheckServer",
            dependencies: [
                "PolicyCheckKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "policycheck",
            dependencies: [
                "PolicyCheckKit",
                "PolicyCheckServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PolicyCheckKitTests",
            dependencies: ["PolicyCheckKit", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Expression/Cases", "Input/Fixtures", "Output/Golden", "Fixtures", "Fuzz/Inputs"]
        ),
        .testTarget(
            name: "PolicyCheckServerTests",
            dependencies: [
                "PolicyCheckServer", "PolicyCheckKit",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "policycheckTests",
            dependencies: ["PolicyCheckKit"]
        ),
    ]
)
