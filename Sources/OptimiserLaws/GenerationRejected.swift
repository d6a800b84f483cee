/// A ``Generator/filter(maximumRejections:_:)`` rejected more values in a row
/// than it allows: the case is discarded.
struct GenerationRejected: Error {}
