"""Pure analysis functions: frames in, frames or frozen dataclasses out, as of a day D."""
