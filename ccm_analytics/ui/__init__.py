"""The UI layer: the only part of the package that imports Streamlit."""
