"""Git-like versioning of a model's ingredients, and the model registry joined to it."""
