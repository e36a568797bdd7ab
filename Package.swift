// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Settings shared by every target: Swift 6 language mode plus the upcoming
/// features STYLE.md asks for.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "capi-bridge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "capi-bridge", targets: ["capi-bridge"])
    ],
    traits: [
        // `swift build --traits OpenTelemetry`: export spans over OTLP/HTTP
        // (`telemetry.otlp.endpoint`). Off by default: swift-otel and its
        // dependencies are then neither fetched nor compiled.
        .trait(name: "OpenTelemetry", description: "Export traces over OTLP/HTTP with swift-otel (telemetry.otlp.endpoint)"),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
        // Spans around ingest and platform requests (Hummingbird already builds it).
        .package(url: "https://github.com/apple/swift-distributed-tracing", exact: "1.7.3"),
        // OTLP export of those spans, only with `--traits OpenTelemetry` (never fetched or built otherwise).
        .package(
            url: "https://github.com/swift-otel/swift-otel", exact: "1.6.0",
            traits: [.trait(name: "OTLPHTTP", condition: .when(traits: ["OpenTelemetry"]))]),
    ],
    targets: [
        // Pure: event model, JSON, schema validation, identifiers, policies. No I/O.
        .target(
            name: "BridgeCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // Pure: one adapter per webhook source (verify signature, map payload).
        .target(
            name: "BridgeSources",
            dependencies: [
                "BridgeCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // I/O: the durable outbox (SQLite through GRDB; PostgreSQL behind the same protocol).
        .target(
            name: "BridgeStore",
            dependencies: [
                "BridgeCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Pure: one file per destination platform (build request, classify reply).
        .target(
            name: "BridgeDestinations",
            dependencies: [
                "BridgeCore",
                .product(name: "Crypto", package: "swift-crypto"),
                // RS256 for Google service-account assertions.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // I/O: prepare and deliver workers, transport, audit log, alerts, metrics.
        .target(
            name: "BridgePipeline",
            dependencies: [
                "BridgeCore",
                "BridgeStore",
                "BridgeDestinations",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // `# HELP` text for the health and alert metrics (DescribedMetrics).
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // I/O: the sources' own APIs read by reconciliation (Shopify GraphQL Admin, Stripe lists,
        // WooCommerce REST, a backend's orders endpoint or file), mapped by BridgeSources' adapter code.
        .target(
            name: "BridgeReconcile",
            dependencies: [
                "BridgeCore",
                "BridgeSources",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test doubles of the platforms (in-process mock servers), used by tests, the demo and benchmarks.
        .target(
            name: "BridgeMocks",
            dependencies: [
                "BridgeCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // I/O: HTTP routes, configuration loading, application graph.
        .target(
            name: "BridgeServer",
            dependencies: [
                "BridgeCore",
                "BridgeSources",
                "BridgeStore",
                "BridgeDestinations",
                "BridgePipeline",
                "BridgeReconcile",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OTel", package: "swift-otel", condition: .when(traits: ["OpenTelemetry"])),
            ],
            // The console's assets are embedded as Swift literals (scripts/embed-console-assets.py).
            exclude: ["Console/Assets"],
            swiftSettings: swiftSettings
        ),
        // `capi-bridge demo`: the bridge with in-process mocks of every platform, posting the bundled
        // fixtures. The only target besides tests and benchmarks that uses BridgeMocks: nothing on
        // the `serve` path (BridgeServer, BridgePipeline, …) depends on it.
        .target(
            name: "BridgeDemo",
            dependencies: [
                "BridgeCore",
                "BridgeStore",
                "BridgeServer",
                "BridgeMocks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The hostile-input entry points (JSON, the four source adapters, TCF/GPP/US Privacy;
        // the config loader apart, as it needs the server module): libFuzzer runs them
        // (`CapiFuzz`, `CapiFuzzConfig`, below), the test suite replays the committed corpora
        // (fuzz/corpus/) through them.
        .target(
            name: "BridgeFuzzing",
            dependencies: ["BridgeCore", "BridgeSources"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BridgeConfigFuzzing",
            dependencies: ["BridgeServer"],
            swiftSettings: swiftSettings
        ),
        // The executable: `serve` and the operator commands; `demo` comes from BridgeDemo.
        .executableTarget(
            name: "capi-bridge",
            dependencies: [
                "BridgeCore",
                "BridgeSources",
                "BridgeStore",
                "BridgeReconcile",
                "BridgeServer",
                "BridgePipeline",
                "BridgeDestinations",
                "BridgeDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // Benchmarks (scripts/bench-*.sh build them in release).
        .executableTarget(
            name: "IngestBench",
            dependencies: [
                "BridgeCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/IngestBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DeliveryBench",
            dependencies: [
                "BridgeCore", "BridgeSources", "BridgeStore", "BridgeServer", "BridgePipeline", "BridgeMocks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/DeliveryBench",
            swiftSettings: swiftSettings
        ),
        // The reliability harness's platform mock fleet (scripts/reliability/), logging every accepted event id.
        .executableTarget(
            name: "ReliabilityFleet",
            dependencies: [
                "BridgeCore", "BridgeMocks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ReliabilityFleet",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ReportBench",
            dependencies: ["BridgeCore", "BridgeStore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/ReportBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "IdentifierBench",
            dependencies: ["BridgeCore"],
            path: "Benchmarks/IdentifierBench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BridgeCoreTests",
            dependencies: ["BridgeCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BridgeSourcesTests",
            dependencies: ["BridgeSources", "BridgeCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BridgeReconcileTests",
            dependencies: [
                "BridgeReconcile", "BridgeSources", "BridgeCore", "BridgeMocks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BridgeStoreTests",
            dependencies: [
                "BridgeStore", "BridgeCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BridgeDestinationsTests",
            dependencies: [
                "BridgeDestinations", "BridgeCore", "BridgeSources", "BridgeMocks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BridgePipelineTests",
            dependencies: [
                "BridgePipeline", "BridgeServer", "BridgeStore", "BridgeDestinations", "BridgeCore", "BridgeMocks", "BridgeSources", "BridgeReconcile",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BridgeServerTests",
            dependencies: [
                "BridgeServer", "BridgeFuzzing", "BridgeConfigFuzzing", "BridgeStore", "BridgeSources", "BridgeCore", "BridgeDestinations", "BridgePipeline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // Reads docs/openapi.yaml to check it against the router and the event schema.
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "BridgeCore", "BridgeStore", "BridgeSources", "BridgeMocks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// The libFuzzer executables, declared only for scripts/reliability/fuzz.sh
// (CAPI_FUZZ=1, built with -sanitize=fuzzer into .build-fuzz) so that the
// normal build never links them: libFuzzer supplies their `main`.
if ProcessInfo.processInfo.environment["CAPI_FUZZ"] != nil {
    package.targets += [
        .executableTarget(name: "CapiFuzz", dependencies: ["BridgeFuzzing"], path: "fuzz/CapiFuzz", swiftSettings: swiftSettings),
        .executableTarget(
            name: "CapiFuzzConfig", dependencies: ["BridgeConfigFuzzing"], path: "fuzz/CapiFuzzConfig", swiftSettings: swiftSettings),
    ]
}
