// Artifact types are identified by (name, version); version '' when unversioned.
CREATE CONSTRAINT artifact_type_key IF NOT EXISTS FOR (t:ArtifactType) REQUIRE (t.name, t.version) IS UNIQUE
