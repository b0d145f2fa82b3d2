"""Errors and limits over HTTP, on a server of its own started with small caps."""
