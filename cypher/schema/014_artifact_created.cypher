// Artifacts by creation-time range, and the default order of listings.
CREATE INDEX artifact_created IF NOT EXISTS FOR (n:Artifact) ON (n.createdAt)
