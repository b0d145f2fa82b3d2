"""MLMD's gRPC `MetadataStoreService`, served next to the HTTP API (needs the `mlmd`
extra)."""
