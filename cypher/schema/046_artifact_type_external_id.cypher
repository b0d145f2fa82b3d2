// MLMD clients look artifact types up by external id.
CREATE INDEX artifact_type_external_id IF NOT EXISTS FOR (t:ArtifactType) ON (t.externalId)
