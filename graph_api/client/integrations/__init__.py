"""Integrations of the Python SDK with ML libraries (optional extras)."""
