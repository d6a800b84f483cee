// The same three parts as one static nesting of Followed: fixed at compile time.
import Optimisers
import Shared

let schedule = Followed(
  LinearSchedule(initial: 0, end: 0.01, transitionSteps: 20),
  Followed(Constant(value: 0.01), CosineDecay(initial: 0.01, decaySteps: 100, alpha: 0.01), at: 30),
  at: 20)
train("Followed", Scheduled(Adam<Model>(), \.learningRate, by: schedule))
