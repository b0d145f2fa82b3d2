"""The Python SDK, talking to the GraphQL API over HTTP."""
