// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Optimisers",
  // The floor is set by `Atomic` from the Synchronization module (the parallel
  // leaf walk's work counter and the scratch pool), introduced in macOS 15,
  // iOS 18, tvOS 18, watchOS 11 and visionOS 2. Every other toolchain API the
  // library calls is older. Linux has no such floor.
  platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
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
    .executable(name: "digits", targets: ["Digits"]),
    .executable(name: "curve-fit", targets: ["CurveFit"]),
    .executable(name: "lbfgs-bench", targets: ["LBFGSBench"]),
    // The seed's classifier (model and data), shared with Integrations/MPI.
    .library(name: "ClassifierSupport", targets: ["ClassifierSupport"]),
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
    // What the executables share: `--help` handling and a progress line that
    // shows on a terminal only; SVG text escaping for the figures. Not a product.
    .target(name: "CommandLineSupport"),
    .executableTarget(name: "Tour", dependencies: ["Optimisers", "CommandLineSupport", "DigitsSupport"]),
    .executableTarget(name: "LinearRegression", dependencies: ["Optimisers", "CommandLineSupport"]),
    .executableTarget(name: "Classifier", dependencies: ["Optimisers", "ClassifierSupport", "CommandLineSupport"]),
    // The seed's classifier: its two dense layers and the two-blob data set.
    .target(name: "ClassifierSupport", dependencies: ["Optimisers"]),
    .executableTarget(name: "SchedulePlot", dependencies: ["Optimisers", "CommandLineSupport"]),
    .executableTarget(name: "OptimisersBench", dependencies: ["Optimisers", "COptimisers", "CommandLineSupport"]),
    // L-BFGS fits a nonlinear model to noisy data; L-BFGS's time per iteration
    // against torch's (Benchmarks/torch_lbfgs_bench.py).
    .executableTarget(name: "CurveFit", dependencies: ["Optimisers"]),
    .executableTarget(name: "LBFGSBench", dependencies: ["Optimisers", "CommandLineSupport"]),
    // The checkpoint kill test's writer process, and a release-mode fuzz run.
    .executableTarget(
      name: "CheckpointStress",
      dependencies: ["Optimisers", "OptimiserLaws", "CommandLineSupport"]
    ),
    // A rule with four buffers written against the public API alone.
    .testTarget(name: "KernelRuleClientTests", dependencies: ["Optimisers", "OptimiserLaws"]),
    // The handwritten digits: the data set's loader, the network, the training
    // run with its save file and the learning-curve figure; shared by
    // `swift run digits`, the tour and the tests.
    .target(name: "DigitsSupport", dependencies: ["Optimisers", "CommandLineSupport"]),
    .executableTarget(name: "Digits", dependencies: ["Optimisers", "DigitsSupport"]),
    .testTarget(name: "DigitsTests", dependencies: ["Optimisers", "DigitsSupport"]),
    .testTarget(
      name: "OptimisersTests",
      dependencies: ["Optimisers", "OptimiserLaws", "OptimiserLawsTesting"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
