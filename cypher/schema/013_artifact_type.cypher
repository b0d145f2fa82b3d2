// Artifacts by type name.
CREATE INDEX artifact_type IF NOT EXISTS FOR (n:Artifact) ON (n.type)
