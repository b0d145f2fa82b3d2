"""Finding one's way around the graph: search and counts by type."""
