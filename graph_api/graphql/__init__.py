"""The GraphQL API: strawberry types, queries, mutations, dataloaders and limits."""
