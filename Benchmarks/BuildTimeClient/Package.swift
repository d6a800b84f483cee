// swift-tools-version: 6.0
// A client of the Optimisers package, kept to measure how long a user's clean
// release build takes: ten rules, three wrappers and three nested schedules
// on one small model. See Documentation.docc/PerformanceGuide.md ("Build
// times") for the numbers and how to reproduce them.
import PackageDescription

let package = Package(
  name: "BuildTimeClient",
  platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
  dependencies: [.package(name: "Optimisers", path: "../..")],
  targets: [
    .executableTarget(
      name: "BuildTimeClient",
      dependencies: [.product(name: "Optimisers", package: "Optimisers")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
