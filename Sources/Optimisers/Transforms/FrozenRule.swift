/// Marks ``Frozen`` so that ``Partition`` can skip its leaves entirely, without
/// copying them in and out.
///
/// - Complexity: The check is one dynamic cast per group per step.
/// - References: Optimisers.jl `freeze!`, 2022.
@usableFromInline
protocol FrozenRule {}
