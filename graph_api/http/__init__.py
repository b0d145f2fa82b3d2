"""HTTP routes besides GraphQL: health, OpenLineage ingestion, the static UI."""
