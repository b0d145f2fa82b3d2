"""MLMD's write surface as GraphQL mutations, over HTTP against the running server."""
