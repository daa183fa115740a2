// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
let fast: [SwiftSetting] =
  strict + [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
  name: "FlowStore",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "flowstore", targets: ["flowstore"]),
    .library(name: "Storage", targets: ["Storage"]),
    .library(name: "Ingest", targets: ["Ingest"]),
    .library(name: "Collector", targets: ["Collector"]),
    .library(name: "Query", targets: ["Query"]),
    .library(name: "Monitoring", targets: ["Monitoring"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
  ],
  targets: [
    .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
    .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
    .target(name: "CFlowSys"),
    // Linked into the executable only, with `--wrap=inet_ntop` (see cinetwrap.h).
    .target(name: "CInetWrap", dependencies: ["CFlowSys"]),
    .target(name: "Storage", dependencies: ["CLZ4", "CSQLite"], swiftSettings: fast),
    .target(name: "Ingest", dependencies: ["Storage", "CPcap"], swiftSettings: fast),
    .target(
      name: "Collector",
      dependencies: [
        "Ingest", "Storage", "CFlowSys",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: fast),
    .target(name: "Query", dependencies: ["Storage", "CFlowSys"], swiftSettings: fast),
    // `serve --metrics`: collector and store figures as swift-metrics instruments, rendered by
    // swift-prometheus and served over HTTP by swift-nio. Nothing else speaks HTTP.
    .target(
      name: "Monitoring",
      dependencies: [
        "Ingest", "Storage",
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: strict),
    .executableTarget(
      name: "flowstore",
      dependencies: [
        "Storage", "Ingest", "Collector", "Query", "Monitoring", "CEdit", "CFlowSys", "CInetWrap",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict,
      linkerSettings: [.unsafeFlags(["-Xlinker", "--wrap=inet_ntop"])]),
    .executableTarget(
      name: "flowstore-crashwriter", dependencies: ["Storage"], path: "Tests/CrashWriter",
      swiftSettings: strict),
    // What the test targets share: the SplitMix generator, temporary directories, random
    // `flows` batches, ColumnBatch helpers, shared data and fixtures, child processes, UDP.
    .target(
      name: "TestSupport", dependencies: ["Storage"], path: "Tests/TestSupport",
      resources: [.copy("Fixtures")], swiftSettings: strict),
    .testTarget(
      name: "StorageTests", dependencies: ["Storage", "CLZ4", "TestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "OperationsTests", dependencies: ["Monitoring", "Ingest", "Storage", "TestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "IngestTests", dependencies: ["Ingest", "Storage", "CFlowSys", "TestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "CollectorTests", dependencies: ["Collector", "Ingest", "Storage", "TestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "CLITests", dependencies: ["Ingest", "Storage", "TestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "QueryTests", dependencies: ["Query", "Storage", "Ingest", "TestSupport"],
      exclude: ["Golden"], resources: [.copy("Fixtures")],
      swiftSettings: strict),
  ]
)
