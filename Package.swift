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
    ],
    targets: [
        .target(
            name: "PolicyCheckKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(
            name: "policycheck",
            dependencies: [
                "PolicyCheckKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "PolicyCheckKitTests",
            dependencies: ["PolicyCheckKit", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Expression/Cases", "Input/Fixtures"]
        ),
        .testTarget(
            name: "policycheckTests",
            dependencies: ["PolicyCheckKit"]
        ),
    ]
)
