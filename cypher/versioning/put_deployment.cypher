// put_deployment — create or update a deployment and what it serves: an alias (it then
// follows the alias's moves) or a model version (pinned).
// params: $name, $environment, $endpoint, $alias (model@name or null),
//         $version (model/n or null), $now
// returns: serves (how many targets it serves: 1)
MERGE (d:Deployment {name: $name})
  ON CREATE SET d.createdAt = $now
SET d.environment = $environment, d.endpoint = $endpoint, d.updatedAt = $now,
    d.alias = $alias, d.version = $version
WITH d
OPTIONAL MATCH (d)-[s:SERVES]->()
DELETE s
WITH DISTINCT d
CALL (d) {
  OPTIONAL MATCH (a:Alias {key: coalesce($alias, '')})
  OPTIONAL MATCH (v:ModelVersion {key: coalesce($version, '')})
  WITH d, coalesce(a, v) AS target
  WHERE target IS NOT NULL
  CREATE (d)-[:SERVES]->(target)
  RETURN count(*) AS serves
}
RETURN serves
