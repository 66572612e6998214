"""Serving many viewers: Streamlit replicas behind nginx (`make serve`, deploy/README.md)."""
