"""Ingredient versioning and the model registry: GraphQL types, queries, mutations."""
