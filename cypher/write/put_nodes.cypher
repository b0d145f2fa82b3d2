// put_nodes — create or replace a batch of nodes of one kind, in one round trip.
// params: $rows: list of {id, type, typeVersion, props (every stored property, id included)},
//         $now (ms). createdAt survives a replace; updatedAt is set to $now.
// returns: written (count)
UNWIND $rows AS row
MERGE (n:/*%label*/Artifact/*%*/ {id: row.id})
ON CREATE SET n.createdAt = $now
WITH n, row, n.createdAt AS created
SET n = row.props
SET n.createdAt = created, n.updatedAt = $now
WITH n, row
MATCH (t:/*%type_label*/ArtifactType/*%*/ {name: row.type, version: row.typeVersion})
MERGE (n)-[:OF_TYPE]->(t)
RETURN count(n) AS written
