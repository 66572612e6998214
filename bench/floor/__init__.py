"""The floor app (see bench/README.md)."""
