"""Documents made from the analysis for people outside the app: reminder letters, the deadlines
calendar, the meeting deck and the one-page brief."""
