// Contexts by creation-time range, and the default order of listings.
CREATE INDEX context_created IF NOT EXISTS FOR (n:Context) ON (n.createdAt)
