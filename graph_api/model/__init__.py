"""Pydantic models of the domain, shared by the store, the services and the API."""
