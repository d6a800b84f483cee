import Optimisers

/// Ten parts side by side: a level of the nested benchmark models, so that
/// `Tenfold<Tenfold<Tenfold<Tensor<S>>>>` is the 1000-leaf model whose key
/// paths have depth 3.
struct Tenfold<Part: SeededPart>: Parameterised, SeededPart {
  typealias Scalar = Part.Scalar
  var p0, p1, p2, p3, p4, p5, p6, p7, p8, p9: Part
  static var parameters: ParameterList<Tenfold> {
    Lists.lookup(Tenfold.self) {
      ParameterList<Tenfold>(\.p0, \.p1, \.p2, \.p3, \.p4, \.p5, \.p6, \.p7, \.p8, \.p9)
    }
  }
  static var tensorCount: Int { 10 * Part.tensorCount }
  init(count: Int, seed: Int) {
    func make(_ k: Int) -> Part { Part(count: count, seed: seed &+ Part.tensorCount &* k) }
    (p0, p1, p2, p3, p4, p5, p6, p7, p8, p9) =
      (make(0), make(1), make(2), make(3), make(4), make(5), make(6), make(7), make(8), make(9))
  }
}

/// The 1000-leaf benchmark model: 10 × 10 × 10 tensors.
typealias Model1000<S: ParameterScalar> = Tenfold<Tenfold<Tenfold<Tensor<S>>>>
