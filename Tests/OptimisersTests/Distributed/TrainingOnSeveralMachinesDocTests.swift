import Optimisers
import Testing

/// The "Training on Several Machines" article's snippet, run.
@Suite struct TrainingOnSeveralMachinesDocTests {
  @Test func twoRanksTrainOneModel() {
    let target = Tensor<Double>([1, -2, 3, 0.5])
    let models = InProcessCollective.run(ranks: 2) { collective in
      let optimiser = DataParallel(
        Chain(ClipGlobalNorm(1), Sharded(Adam<LeafGroup<Tensor<Double>>>(learningRate: 0.1), over: collective)),
        over: collective)
      var model = Tensor<Double>.zeros([4])
      var state = optimiser.initialState(for: model)
      for _ in 0..<200 {
        // Each rank's gradient of its own loss, ½(rank + 1)‖p − target‖².
        let gradient = Double(collective.rank + 1) * (model - target)
        optimiser.update(&state, &model, gradient)
      }
      return model
    }
    // Every rank ends with the same bits, near the target.
    #expect(models[0].bitPatternsEqual(models[1]))
    for (found, wanted) in zip(models[0].scalars, target.scalars) { #expect(abs(found - wanted) < 0.05, "\(models[0])") }
  }
}
