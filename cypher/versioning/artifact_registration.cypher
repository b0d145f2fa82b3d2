// artifact_registration — what registering an artifact as a version of $model must know:
// the artifact, the version it is registered as already (if any), the model's latest
// version number.
// params: $artifactId, $model
// returns: artifactId, registeredModel, registeredVersion, latest
MATCH (a:Artifact {id: $artifactId})
OPTIONAL MATCH (a)-[:REGISTERED_AS]->(v:ModelVersion)
CALL () {
  OPTIONAL MATCH (x:ModelVersion)
  WHERE x.model = $model
  RETURN max(x.version) AS latest
}
RETURN a.id AS artifactId, v.model AS registeredModel, v.version AS registeredVersion, latest
