"""Shared front-end code of the dashboard: data access, figures, maps, theme, labels."""
