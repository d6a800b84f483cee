import Optimisers

/// The seed's affine model, generic over the scalar.
struct AffineModel<S: ParameterScalar>: Parameterised {
  typealias Scalar = S
  var weight: Tensor<S>
  var bias: Tensor<S>
  static var parameters: ParameterList<AffineModel> { AffineModelParameters.list() }
}

/// Caches the parameter list per scalar type (generic types cannot have stored
/// static properties).
enum AffineModelParameters {
  static let float = ParameterList<AffineModel<Float>>(\.weight, \.bias)
  static let double = ParameterList<AffineModel<Double>>(\.weight, \.bias)
  static func list<S>() -> ParameterList<AffineModel<S>> {
    if S.self == Float.self { return float as! ParameterList<AffineModel<S>> }
    return double as! ParameterList<AffineModel<S>>
  }
}

/// Two leaves of different shapes plus a scalar and a nested struct, to exercise
/// the leaf walk.
struct NestedModel: Parameterised {
  typealias Scalar = Double
  var inner: AffineModel<Double>
  var scale: Double
  var extra: Tensor<Double>
  var label = "not a parameter"
  static let parameters = ParameterList<NestedModel>(\.inner, \.scale, \.extra)
}
