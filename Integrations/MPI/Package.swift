// swift-tools-version: 6.0
import PackageDescription

// The MPI backend for Optimisers' `Collective`, kept out of the root package so
// that the root builds and tests with the Swift toolchain alone. Needs an MPI
// implementation with its pkg-config file (`mpi.pc`): on Debian and Ubuntu,
// `apt-get install openmpi-bin libopenmpi-dev`; on macOS, `brew install open-mpi`.
let package = Package(
  name: "OptimisersMPI",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "OptimisersMPI", targets: ["OptimisersMPI"]),
    .executable(name: "mpi-classifier", targets: ["MPIClassifier"]),
    .executable(name: "mpi-bench", targets: ["MPIBench"]),
  ],
  dependencies: [.package(name: "Optimisers", path: "../..")],
  targets: [
    // The system's MPI headers and library, found through pkg-config.
    .systemLibrary(
      name: "CMPI", pkgConfig: "mpi",
      providers: [.apt(["openmpi-bin", "libopenmpi-dev"]), .brew(["open-mpi"])]),
    // Plain C calls of MPI_Allreduce: the yardstick the Swift collective is
    // timed against.
    .target(name: "CMPIReference", dependencies: ["CMPI"]),
    .target(
      name: "OptimisersMPI",
      dependencies: ["CMPI", .product(name: "Optimisers", package: "Optimisers")]),
    .executableTarget(
      name: "MPIClassifier",
      dependencies: [
        "OptimisersMPI", .product(name: "Optimisers", package: "Optimisers"),
        .product(name: "ClassifierSupport", package: "Optimisers"),
      ]),
    .executableTarget(
      name: "MPIBench",
      dependencies: ["OptimisersMPI", "CMPIReference", "CMPI", .product(name: "Optimisers", package: "Optimisers")]),
  ],
  swiftLanguageModes: [.v6]
)
