"""OpenLineage: a dataset's columns and their column lineage."""
