import Optimisers

/// Property checks for optimiser rules (the law kit); see the Reliability issue.
public enum OptimiserLaws {}
