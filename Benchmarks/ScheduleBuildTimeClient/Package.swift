// swift-tools-version: 6.0
// Three clients that train one model with the learning rate given by a
// warm-up, a constant and a cosine decay joined together, to compare how long
// each takes to compile in release mode (see Documentation.docc/PerformanceGuide.md,
// "Build times"):
//   DataSchedules    — the schedule read from JSON as an AnySchedule (any kinds, one type);
//   GenericSchedules — the same three parts as one static Followed<…> nesting;
//   VisitorSchedules — the parts read from JSON through hand-written generic
//                      visitors (three kinds per part, so 27 nested types).
import PackageDescription

let package = Package(
  name: "ScheduleBuildTimeClient",
  platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
  dependencies: [.package(name: "Optimisers", path: "../..")],
  targets: [
    .target(name: "Shared", dependencies: [.product(name: "Optimisers", package: "Optimisers")]),
    .executableTarget(name: "DataSchedules", dependencies: ["Shared", .product(name: "Optimisers", package: "Optimisers")]),
    .executableTarget(name: "GenericSchedules", dependencies: ["Shared", .product(name: "Optimisers", package: "Optimisers")]),
    .executableTarget(name: "VisitorSchedules", dependencies: ["Shared", .product(name: "Optimisers", package: "Optimisers")]),
  ],
  swiftLanguageModes: [.v6]
)
