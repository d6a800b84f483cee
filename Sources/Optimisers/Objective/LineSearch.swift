/// How ``LBFGS`` chooses the step length t along its direction d.
///
/// Every line search calls the objective at trial points x + t·d (each call
/// returns the value and the gradient, and counts as one evaluation). The first
/// trial step comes from the ``LBFGSConvention``: under ``LBFGSConvention/torch``
/// it is torch's t (min(1, 1/‖g‖₁)·η on the very first iteration, η after);
/// under ``LBFGSConvention/optax`` it is the search's own initial guess.
///
/// - Complexity: O(1) to copy; a search costs its evaluations plus O(*n*) per
///   evaluation.
/// - References: Nocedal and Wright, *Numerical Optimization*, 2nd ed., 2006,
///   §3.1 (Armijo backtracking), §3.5 algorithms 3.5 and 3.6 (zoom).
public enum LineSearch: Codable, Sendable, Hashable {
  /// No search: t = ``LBFGS/learningRate`` (torch's `line_search_fn=None`).
  /// Under the torch convention the objective is evaluated after the move
  /// unless it was the step's last iteration, as torch does.
  case fixedStep
  /// torch's `strong_wolfe`: bracketing with cubic extrapolation, then a
  /// cubic-interpolation zoom, until the strong Wolfe conditions hold.
  case strongWolfe(StrongWolfeLineSearch = StrongWolfeLineSearch())
  /// optax's `scale_by_zoom_linesearch`: interval search by doubling, then a
  /// cubic / quadratic / bisection zoom, with Hager and Zhang's approximate
  /// decrease test near the minimum.
  case zoom(ZoomLineSearch = ZoomLineSearch())
  /// Backtracking until the Armijo condition holds (optax's
  /// `scale_by_backtracking_linesearch`).
  case backtracking(BacktrackingLineSearch = BacktrackingLineSearch())

  /// A short name for tables and messages: `fixed`, `strong-wolfe`, `zoom`,
  /// `backtracking`.
  ///
  /// - Complexity: O(1).
  public var name: String {
    switch self {
    case .fixedStep: return "fixed"
    case .strongWolfe: return "strong-wolfe"
    case .zoom: return "zoom"
    case .backtracking: return "backtracking"
    }
  }

  /// Checks the search's hyperparameters.
  ///
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``.
  /// - Complexity: O(1).
  public func validateHyperparameters() throws(OptimiserError) {
    switch self {
    case .fixedStep: return
    case let .strongWolfe(search): try search.validateHyperparameters()
    case let .zoom(search): try search.validateHyperparameters()
    case let .backtracking(search): try search.validateHyperparameters()
    }
  }
}
