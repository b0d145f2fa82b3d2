// create_version — a new version of a registered model, from an artifact (immutable: an
// artifact registers once; a taken version number fails on the unique key and re-runs).
// params: $key (model/version), $model, $version, $artifactId, $contextId, $now
// returns: key
MATCH (a:Artifact {id: $artifactId})
MATCH (m:Context {id: $contextId})
CREATE (v:ModelVersion {key: $key, model: $model, version: $version, artifactId: $artifactId,
                        createdAt: $now})
CREATE (a)-[:REGISTERED_AS]->(v)
CREATE (v)-[:VERSION_OF]->(m)
RETURN v.key AS key
