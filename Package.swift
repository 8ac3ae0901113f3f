// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "selfmoa-lsp",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "selfmoa-lsp", targets: ["selfmoa-lsp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        .target(name: "JSON", dependencies: ["CJSONC"]),
        .target(
            name: "JSONRPC",
            dependencies: ["JSON", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "ModelBackend",
            dependencies: [
                "JSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "BackendStandIn",
            dependencies: [
                "JSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "selfmoa-standin-backend", dependencies: ["BackendStandIn", "JSON"]),
        .target(name: "SelfMoA", dependencies: ["ModelBackend"]),
        .target(
            name: "Tools",
            dependencies: [
                "JSON",
                .product(name: "Subprocess", package: "swift-subprocess"),
                // FilePath: swift-subprocess takes System's on Apple platforms, SystemPackage's elsewhere.
                .product(name: "SystemPackage", package: "swift-system", condition: .when(platforms: [.linux])),
            ]
        ),
        .target(name: "Assistant", dependencies: ["SelfMoA", "ModelBackend", "Tools"]),
        .target(
            name: "LanguageServer",
            dependencies: ["JSON", "JSONRPC", "Assistant", "SelfMoA", "ModelBackend", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "selfmoa-lsp",
            dependencies: [
                "LanguageServer", "ModelBackend", "Assistant", "SelfMoA", "JSON", "JSONRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "selfmoa-bench",
            dependencies: ["JSON", "Assistant", "SelfMoA", "ModelBackend", .product(name: "Logging", package: "swift-log")],
            path: "bench/swift",
            exclude: ["run_codec.py"]
        ),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .target(
            name: "LSPTestSupport",
            dependencies: ["JSON", "JSONRPC", "LanguageServer", "ModelBackend", .product(name: "Logging", package: "swift-log")],
            path: "Tests/LSPTestSupport"
        ),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC", "LSPTestSupport"]),
        .testTarget(
            name: "ModelBackendTests",
            dependencies: [
                "ModelBackend", "BackendStandIn", "JSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "SelfMoATests", dependencies: ["SelfMoA", "ModelBackend"]),
        .testTarget(name: "ToolsTests", dependencies: ["Tools", "JSON"]),
        .testTarget(name: "AssistantTests", dependencies: ["Assistant", "SelfMoA", "ModelBackend", "Tools"]),
        .testTarget(name: "LanguageServerTests", dependencies: ["LanguageServer", "LSPTestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["JSON", "JSONRPC", "LSPTestSupport", "BackendStandIn", "ModelBackend", "Tools", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "FuzzChecks",
            dependencies: ["JSON", "JSONRPC", "LanguageServer", "ModelBackend", .product(name: "Logging", package: "swift-log")],
            path: "fuzz/Sources/FuzzChecks"
        ),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "JSON", "JSONRPC", "LanguageServer", "ModelBackend", "BackendStandIn", "LSPTestSupport", "FuzzChecks",
            ]
        ),
    ]
)

// libFuzzer entry points: built only with SELFMOA_FUZZ set and `-sanitize=fuzzer` (they need
// libFuzzer's driver to link); `make fuzz` does both, see FUZZING.md.
if Context.environment["SELFMOA_FUZZ"] != nil {
    package.targets.append(.target(name: "FuzzDriver", path: "fuzz/Sources/FuzzDriver"))
    for name in ["framer", "json", "params", "server"] {
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(name)", dependencies: ["FuzzChecks", "FuzzDriver"], path: "fuzz/Sources/fuzz-\(name)"))
    }
}
