// swift-tools-version: 6.0
import PackageDescription

// Layers, bottom to top (dependencies point down only):
//   C shims + system libraries → HTTPServer, Storage, Cryptography, OutboundHTTP → Scheduling,
//   Paging (pure domain) → Gateways (the outside world's message gateways)
//   → WatchkeeperApp (configuration, routes, wiring) → watchkeeper (command line)
let package = Package(
    name: "watchkeeper",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "watchkeeper", targets: ["watchkeeper"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CShims", dependencies: ["COpenSSL", "CCurl"], path: "Sources/CShims",
                linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto"), .linkedLibrary("curl")]),

        .target(name: "HTTPServer", dependencies: [
            "CShims", "COpenSSL",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Gathers the writer's WAL frame writes into one write call per commit (see the file).
        .target(name: "CSQLiteWALBatch", dependencies: ["CSQLite"], path: "Sources/CSQLiteWALBatch"),
        .target(name: "Storage", dependencies: [
            "CSQLite", "CSQLiteWALBatch",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Cryptography", dependencies: ["COpenSSL", "CShims"]),
        .target(name: "Scheduling"),
        // Pure escalation math: which policy step is due when, from (policy, alert history, time).
        .target(name: "Paging"),
        // Blocking HTTP (and SMTP) client on libcurl for every outbound call.
        .target(name: "OutboundHTTP", dependencies: ["CShims", "CCurl"]),
        // The outside world's message gateways (Twilio, Vonage, SMTP, webhooks) behind the
        // outbox's provider interface; no database.
        .target(name: "Gateways", dependencies: [
            "OutboundHTTP", "Cryptography", "HTTPServer",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // migrations/*.sql compiled into the binary, so an installed binary needs no source tree.
        .executableTarget(name: "EmbedMigrationsTool", path: "Plugins/EmbedMigrationsTool"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["EmbedMigrationsTool"]),
        .target(name: "Migrations", dependencies: ["Storage"], plugins: ["EmbedMigrations"]),

        // Microsoft Sentinel and Azure Monitor: payloads, routing rules, the ARM incidents client.
        // No database; the server keeps the state.
        .target(name: "Sentinel", dependencies: ["OutboundHTTP", "Scheduling"]),

        .target(name: "WatchkeeperApp", dependencies: [
            "HTTPServer", "Storage", "Cryptography", "Scheduling", "Paging", "Migrations", "Gateways", "OutboundHTTP", "Sentinel",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Release links with lld and packed relative relocations (DT_RELR, glibc 2.36+): the
        // static-stdlib PIE has ~84,000 of them, 2 MB that ld.so read at every start and that then
        // stayed in idle RSS; packed they take a few KB.
        .executableTarget(name: "watchkeeper", dependencies: [
            "WatchkeeperApp", "HTTPServer", "Storage", "Migrations", "CShims", "CCurl",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(platforms: [.linux], configuration: .release)),
        ]),
        .executableTarget(name: "watchkeeper-bench", dependencies: [
            "WatchkeeperApp", "Storage", "Scheduling", "Gateways",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/Benchmarks"),

        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Migrations"]),
        .testTarget(name: "CryptographyTests", dependencies: ["Cryptography"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"]),
        .testTarget(name: "PagingTests", dependencies: ["Paging"]),
        .testTarget(name: "OutboundHTTPTests", dependencies: ["OutboundHTTP", "HTTPServer"]),
        .testTarget(name: "GatewaysTests", dependencies: ["Gateways", "OutboundHTTP", "HTTPServer", "Cryptography", "FakeGateways"]),
        // A fake Azure (Entra token endpoint + ARM incidents API) on loopback, shared by the tests.
        .target(name: "FakeAzure", dependencies: ["HTTPServer"], path: "Tests/FakeAzure"),
        // Fake Twilio and Vonage REST APIs on loopback, shared by the gateway and the application tests.
        .target(name: "FakeGateways", dependencies: ["HTTPServer", "Cryptography", .product(name: "Logging", package: "swift-log")],
                path: "Tests/FakeGateways"),
        .testTarget(name: "SentinelTests", dependencies: ["Sentinel", "OutboundHTTP", "FakeAzure", "HTTPServer"]),
        .testTarget(name: "WatchkeeperAppTests", dependencies: ["WatchkeeperApp", "HTTPServer", "Storage", "Gateways", "OutboundHTTP", "Sentinel", "Cryptography", "FakeAzure", "FakeGateways"]),
    ],
    swiftLanguageModes: [.v6]
)
