// swift-tools-version: 6.1
import PackageDescription

/// The parent package's identity is its directory name: `main`, or a worktree's name.
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "main")

let package = Package(
  name: "FlowStoreBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]
    ),
  ],
  targets: [
    .target(
      name: "RefData", dependencies: [.product(name: "Storage", package: root)],
      swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-Ounchecked"])]),
    .executableTarget(
      name: "flowstore-bench",
      dependencies: ["RefData", .product(name: "Storage", package: root)],
      swiftSettings: [.swiftLanguageMode(.v6)]),
    .executableTarget(
      name: "decoder-bench",
      dependencies: [
        "RefData", .product(name: "Ingest", package: root), .product(name: "Storage", package: root),
      ],
      swiftSettings: [.swiftLanguageMode(.v6)]),
    .executableTarget(
      name: "ingest-bench",
      dependencies: [
        "RefData", .product(name: "Ingest", package: root), .product(name: "Storage", package: root),
      ],
      swiftSettings: [.swiftLanguageMode(.v6)]),
    .executableTarget(
      name: "StorageBenchmarks",
      dependencies: [
        "RefData", .product(name: "Storage", package: root),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/StorageBenchmarks",
      swiftSettings: [.swiftLanguageMode(.v6)],
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
  ]
)
