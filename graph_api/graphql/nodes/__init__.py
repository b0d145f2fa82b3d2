"""Artifacts, executions, contexts and their types: GraphQL types, queries, mutations."""
