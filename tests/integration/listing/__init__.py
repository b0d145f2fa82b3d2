"""Listings of nodes through the services: filters, ordering, pagination."""
