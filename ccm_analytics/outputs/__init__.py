"""Documents made from the analysis for people outside the app: the meeting deck, the one-page brief."""
