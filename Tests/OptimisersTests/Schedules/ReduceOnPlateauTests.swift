import Foundation
import Optimisers
import Testing

@Suite struct ReduceOnPlateauTests {
  @Test func waitsForMoreThanPatienceBadMetricsThenReduces() {
    var plateau = ReduceOnPlateau(factor: 0.5, patience: 2)
    plateau.advance(with: 1.0)  // first metric: always an improvement
    #expect(plateau.best == 1.0 && plateau.value == 1)
    plateau.advance(with: 1.0)
    plateau.advance(with: 1.0)
    #expect(plateau.value == 1 && plateau.badMetrics == 2)
    plateau.advance(with: 1.0)  // third bad metric > patience 2
    #expect(plateau.value == 0.5 && plateau.badMetrics == 0)
  }

  @Test func relativeAndAbsoluteThresholdsInBothModes() {
    let minRelative = ReduceOnPlateau(threshold: 0.1).advanced(with: 1.0)
    #expect(!minRelative.isImprovement(0.95) && minRelative.isImprovement(0.89))
    let minAbsolute = ReduceOnPlateau(threshold: 0.1, thresholdMode: .absolute).advanced(with: 1.0)
    #expect(!minAbsolute.isImprovement(0.91) && minAbsolute.isImprovement(0.89))
    let maxRelative = ReduceOnPlateau(mode: .maximise, threshold: 0.1).advanced(with: 1.0)
    #expect(!maxRelative.isImprovement(1.05) && maxRelative.isImprovement(1.11))
    let maxAbsolute = ReduceOnPlateau(mode: .maximise, threshold: 0.1, thresholdMode: .absolute).advanced(with: 1.0)
    #expect(!maxAbsolute.isImprovement(1.09) && maxAbsolute.isImprovement(1.11))
    #expect(!ReduceOnPlateau().isImprovement(.nan))
  }

  @Test func cooldownIgnoresBadMetricsAndTheMinimumHolds() {
    var plateau = ReduceOnPlateau(initial: 0.1, factor: 0.1, patience: 0, cooldown: 2, minimum: 0.002)
    plateau.advance(with: 5)
    plateau.advance(with: 5)  // bad > 0: reduce to 0.01, cooldown 2
    #expect(abs(plateau.value - 0.01) < 1e-17 && plateau.cooldownRemaining == 2)
    plateau.advance(with: 5)
    plateau.advance(with: 5)  // both in cooldown
    #expect(abs(plateau.value - 0.01) < 1e-17 && plateau.cooldownRemaining == 0)
    plateau.advance(with: 5)  // reduce, clipped at the minimum
    #expect(plateau.value == 0.002)
    plateau.advance(with: 5)
    plateau.advance(with: 5)
    plateau.advance(with: 5)
    #expect(plateau.value == 0.002)
  }

  @Test func thePureAndMutatingFormsAgreeAndTheValueIsCodableMidway() throws {
    var generator = SplitMix64(seed: 17)
    let metrics = (0..<60).map { 1 / (1 + Double($0) / 10) + 0.05 * generator.nextUnitInterval() }
    var mutating = ReduceOnPlateau(factor: 0.7, patience: 3, cooldown: 1)
    var pure = mutating
    var restored: ReduceOnPlateau?
    for (index, metric) in metrics.enumerated() {
      mutating.advance(with: metric)
      pure = pure.advanced(with: metric)
      #expect(mutating == pure)
      if index == 29 {
        restored = try JSONDecoder().decode(ReduceOnPlateau.self, from: JSONEncoder().encode(mutating))
      }
      if index > 29 { restored?.advance(with: metric) }
    }
    #expect(restored == mutating)
    #expect(mutating.value < 1)
    #expect(mutating(0) == mutating.value && mutating(1_000) == mutating.value)
  }
}
