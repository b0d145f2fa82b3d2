// set_alias — point an alias (created on first use) at a version of its model.
// params: $key (model@name), $model, $name, $version, $versionKey (model/version),
//         $contextId, $now
// returns: alias ({model, name, version})
MATCH (m:Context {id: $contextId})
MATCH (v:ModelVersion {key: $versionKey})
MERGE (al:Alias {key: $key})
  ON CREATE SET al.model = $model, al.name = $name, al.createdAt = $now
WITH al, m, v
OPTIONAL MATCH (al)-[p:POINTS_TO]->()
DELETE p
WITH DISTINCT al, m, v
MERGE (al)-[:OF]->(m)
CREATE (al)-[:POINTS_TO]->(v)
SET al.version = $version
RETURN al {.model, .name, .version} AS alias
