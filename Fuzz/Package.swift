// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets, one per entry point of the library. A package of their own so that the root
// package's `swift build` and `swift test` never see `-sanitize=fuzzer`; `scripts/fuzz.sh` builds them.
let targets = ["expression", "records", "csv", "xlsx", "pack"]

let package = Package(
    name: "policycheck-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "policycheck", path: ".."),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "PolicyCheckKit", package: "policycheck")]
        ),
    ] + targets.map { name in
        .executableTarget(
            name: "fuzz-\(name)",
            dependencies: ["FuzzSupport", .product(name: "PolicyCheckKit", package: "policycheck")],
            path: "Targets",
            exclude: targets.filter { $0 != name }.map { "\($0).swift" },
            sources: ["\(name).swift"]
        )
    }
)
