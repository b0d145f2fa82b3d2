"""OpenLineage ingestion: validation, the mapping onto the MLMD model, and its reads."""
