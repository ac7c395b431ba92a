"""The methodology-diagram pipeline: retrieve -> plan -> style -> (layout, render, critic)*."""
