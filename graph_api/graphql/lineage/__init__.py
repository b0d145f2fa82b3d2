"""Lineage, context DAGs, paths and impact analysis: GraphQL types and queries."""
