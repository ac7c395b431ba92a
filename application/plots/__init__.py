"""The statistical-plot pipeline: planner -> stylist -> (render -> critic)* -> description."""
