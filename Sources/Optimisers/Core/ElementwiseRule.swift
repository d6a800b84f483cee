/// A rule whose step updates each scalar from that scalar's parameter, gradient
/// and state alone (plus the step count and the hyperparameters), so that any
/// range of a leaf's elements can be stepped by itself with the same bits.
///
/// Declaring it is a promise the library relies on: ``Sharded`` splits the
/// leaves of an elementwise rule into balanced element ranges across ranks,
/// and keeps whole leaves together for every other rule (LAMB's and LARS's
/// trust ratios, Adafactor's factored moments and update clipping reduce over
/// a leaf, so a leaf's elements must stay on one rank).
///
/// ```swift
/// extension MyHeavyBall: ElementwiseRule {}
/// ```
///
/// Do not declare it for a rule that reduces over a leaf or over the model,
/// reads a leaf's shape, or treats an element by its position: ``Sharded``
/// would then give a different step from the unsharded rule.
///
/// ## Mathematical properties
/// For an elementwise rule *U* and any partition of the elements into ranges
/// *R*₁, …, *R*ₖ, stepping each range by itself and concatenating equals
/// stepping the whole, bit for bit: *U*(*p*, *g*, *s*)|ᵣ = *U*(*p*|ᵣ, *g*|ᵣ, *s*|ᵣ).
///
/// - References: Rajbhandari et al., *ZeRO: Memory Optimizations Toward
///   Training Trillion Parameter Models*, SC 2020 (partitioning optimiser
///   state across data-parallel ranks).
public protocol ElementwiseRule: Optimiser {}
