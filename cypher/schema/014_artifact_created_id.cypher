// Artifacts by creation-time range, and the default order of listings (createdAt, then id)
// read in index order.
CREATE INDEX artifact_created_id IF NOT EXISTS FOR (n:Artifact) ON (n.createdAt, n.id)
