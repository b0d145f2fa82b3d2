"""Events, memberships, parent contexts and whole steps through the services."""
