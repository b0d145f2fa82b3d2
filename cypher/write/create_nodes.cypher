// create_nodes — create a batch of new nodes of one kind, grouped by type so that each type
// node is looked up once. The unique constraints refuse a node created concurrently
// elsewhere; the store then retries and updates it instead.
// `WITH t, props` drops the group from each row: the embedded engine's eager barrier
// buffers every row's variables, and a row that still held its whole group would make the
// buffer quadratic in the batch size.
// params: $groups: list of {type, typeVersion, rows: list of property maps (id included)},
//         $now (ms, createdAt and updatedAt)
// returns: written (count)
UNWIND $groups AS g
MATCH (t:/*%type_label*/ArtifactType/*%*/ {name: g.type, version: g.typeVersion})
UNWIND g.rows AS props
WITH t, props
CREATE (n:/*%label*/Artifact/*%*/)
SET n = props
SET n.createdAt = $now, n.updatedAt = $now
CREATE (n)-[:OF_TYPE]->(t)
RETURN count(n) AS written
