// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Optimisers",
  products: [
    .library(name: "Optimisers", targets: ["Optimisers"]),
    .library(name: "OptimiserLaws", targets: ["OptimiserLaws"]),
    .library(name: "OptimiserLawsTesting", targets: ["OptimiserLawsTesting"]),
    .executable(name: "tour", targets: ["Tour"]),
    .executable(name: "linear-regression", targets: ["LinearRegression"]),
    .executable(name: "classifier", targets: ["Classifier"]),
    .executable(name: "schedule-plot", targets: ["SchedulePlot"]),
    .executable(name: "optimisers-bench", targets: ["OptimisersBench"]),
    .executable(name: "checkpoint-stress", targets: ["CheckpointStress"]),
  ],
  targets: [
    // A few C helpers that give Swift a vectorisable square root (no errno
    // branch) without unsafe compiler flags, and the libm functions we need
    // without importing Foundation.
    .target(name: "COptimisers"),
    .target(
      name: "Optimisers",
      dependencies: ["COptimisers"],
      linkerSettings: [.linkedLibrary("m")]
    ),
    // Law checks for custom rules; depends on no test framework.
    .target(name: "OptimiserLaws", dependencies: ["Optimisers"]),
    // The kit's reports as Swift Testing issues (`report.expectPassed()` in a
    // `@Test`); the toolchain's Testing module, no package dependency.
    .target(name: "OptimiserLawsTesting", dependencies: ["OptimiserLaws"]),
    .executableTarget(name: "Tour", dependencies: ["Optimisers"]),
    .executableTarget(name: "LinearRegression", dependencies: ["Optimisers"]),
    .executableTarget(name: "Classifier", dependencies: ["Optimisers"]),
    .executableTarget(name: "SchedulePlot", dependencies: ["Optimisers"]),
    .executableTarget(name: "OptimisersBench", dependencies: ["Optimisers", "COptimisers"]),
    // The checkpoint kill test's writer process, and a release-mode fuzz run.
    .executableTarget(name: "CheckpointStress", dependencies: ["Optimisers", "OptimiserLaws"]),
    .testTarget(
      name: "OptimisersTests",
      dependencies: ["Optimisers", "OptimiserLaws", "OptimiserLawsTesting"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
