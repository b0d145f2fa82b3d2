"""Domain logic above the store: lineage, impact, ingest, tracking, versioning."""
