// Contexts by creation-time range, and the default order of listings (createdAt, then id)
// read in index order.
CREATE INDEX context_created_id IF NOT EXISTS FOR (n:Context) ON (n.createdAt, n.id)
