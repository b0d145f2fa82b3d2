"""lineage-explorer: a metadata and lineage store for machine learning, native on Neo4j."""

__version__ = "0.1.0"
