"""Nested GraphQL reads over HTTP."""
