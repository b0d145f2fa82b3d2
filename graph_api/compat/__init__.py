"""Clients with other tools' APIs over this server."""
