"""The static edition: `python -m app.bake` writes every page, figure and download of the current build as files."""
