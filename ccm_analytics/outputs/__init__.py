"""Documents built from the analysis: reminder letters, the deadlines calendar."""
