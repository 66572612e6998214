"""Performance benchmark of the dashboard: page loads against a floor app, ETL, PNG export, bytes, memory."""
