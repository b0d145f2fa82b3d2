"""Artifacts, executions and contexts: batch upserts, lookups, and refused input."""
