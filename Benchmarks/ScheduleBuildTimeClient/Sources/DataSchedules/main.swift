// The joined schedule read from JSON as one AnySchedule: one specialisation of
// the training loop whatever kinds the file names.
import Foundation
import Optimisers
import Shared

let schedule = try JSONDecoder().decode(AnySchedule.self, from: Data(configuration.utf8))
train("AnySchedule", Scheduled(Adam<Model>(), \.learningRate, by: schedule))
