// OpenLineage: every identity of an artifact, by the artifact's id.
CREATE INDEX dataset_alias_artifact IF NOT EXISTS FOR (n:DatasetAlias) ON (n.artifactId)
