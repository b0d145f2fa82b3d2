// put_batch — a whole batch write in one statement: contexts, artifacts and executions
// upserted or looked up, then the events, attributions and associations between them,
// bound to the nodes by their position in the batch, and the TopologyDelta that records
// the INPUT and OUTPUT edges it created for the topology index (design §2): one per
// statement that created any (re-sent edges are there already, and in the index).
// A node row is written when it has `w`; without it the row only looks its node up (by
// id: an event's or a membership's end named by id; or by every key: a batch refused
// before writing, whose errors are worked out from what the lookups found). A row's
// target is the node of its id, else of its external id, else (contexts) of its
// (type, name); the row is written only when its type matches the target's and no key
// belongs to another node, else its mode is 'skip' (the caller raises the error). Rows
// whose type node is gone or holds another schema than the rows were checked against are
// 'stale' (the caller re-reads the types and tries again). Keys absent from a row are
// looked up as '' and the match then ignored: an index seek for null scans the label on
// the embedded engine. Edges are merged: re-sending writes nothing new.
// params: $now (ms), $deltaId (the TopologyDelta's id),
//         $contextTypes, $artifactTypes, $executionTypes: lists of {name, version ('' when
//           unversioned), schema (the JSON text, as stored, that the rows' properties were
//           checked against; '' for none)},
//         $contexts, $artifacts, $executions: lists of rows {p: the node's stored
//           properties (type, typeVersion, externalId, name, ..., createdAt, updatedAt),
//           t: its type's position in the kind's types, n: the id it gets if created,
//           i: the id it names (absent: none), w: true to write it (absent: look up only)},
//         $inputs, $outputs: {artifact, execution (positions in $artifacts, $executions),
//           kind, path (JSON text), ts (ms, or null for $now)}: parallel lists, one entry
//           per event,
//         $attributions: {artifact, context}, $associations: {execution, context}: parallel
//           lists of positions
// returns: contextRows, artifactRows, executionRows (one per row of $contexts, $artifacts,
//          $executions, in order: {mode ('create', 'update', 'ref', 'skip' or 'stale'), id
//          (the node's, null when none), byId, byExternalId, byName (the stored node each
//          key found before the write: {id, type, typeVersion, externalId, name} or null)}),
//          inputs, outputs, attributions, associations (how many edges of each were merged)
CALL () {
  UNWIND $contextTypes AS ty
  OPTIONAL MATCH (t:ContextType {name: ty.name, version: ty.version})
  RETURN collect([CASE WHEN coalesce(t.schema, '') = ty.schema THEN t END]) AS contextTypes
}
CALL () {
  UNWIND $artifactTypes AS ty
  OPTIONAL MATCH (t:ArtifactType {name: ty.name, version: ty.version})
  RETURN collect([CASE WHEN coalesce(t.schema, '') = ty.schema THEN t END]) AS artifactTypes
}
CALL () {
  UNWIND $executionTypes AS ty
  OPTIONAL MATCH (t:ExecutionType {name: ty.name, version: ty.version})
  RETURN collect([CASE WHEN coalesce(t.schema, '') = ty.schema THEN t END]) AS executionTypes
}
CALL (contextTypes) {
  UNWIND $contexts AS row
  OPTIONAL MATCH (i:Context {id: coalesce(row.i, '')})
  OPTIONAL MATCH (x:Context {externalId: coalesce(row.p.externalId, '')})
  OPTIONAL MATCH (m:Context {type: coalesce(row.p.type, ''), name: coalesce(row.p.name, '')})
  WITH row, contextTypes[row.t][0] AS t,
       CASE WHEN row.i IS NOT NULL THEN i END AS byId,
       CASE WHEN row.p.externalId IS NOT NULL THEN x END AS byX,
       CASE WHEN row.i IS NULL AND row.p.name IS NOT NULL THEN m END AS byName
  WITH row, t, byId, byX, byName,
       CASE WHEN row.i IS NOT NULL THEN byId WHEN byX IS NOT NULL THEN byX ELSE byName END AS old
  WITH row, t, byId, byX, byName, old,
       CASE
         WHEN row.w IS NULL THEN 'ref'
         WHEN t IS NULL THEN 'stale'
         WHEN old IS NULL THEN CASE WHEN row.i IS NULL THEN 'create' ELSE 'skip' END
         WHEN old.type <> row.p.type OR old.typeVersion <> row.p.typeVersion THEN 'skip'
         WHEN byId IS NOT NULL AND byX IS NOT NULL AND byX.id <> byId.id THEN 'skip'
         WHEN row.i IS NULL AND byX IS NULL AND row.p.externalId IS NOT NULL
              AND old.externalId IS NOT NULL AND old.externalId <> row.p.externalId THEN 'skip'
         ELSE 'update'
       END AS mode
  CALL (row, t, old, mode) {
    WITH row, t, mode
    WHERE mode = 'create'
    CREATE (n:Context)
    SET n = row.p, n.id = row.n
    CREATE (n)-[:OF_TYPE]->(t)
    RETURN n
    UNION ALL
    WITH row, old, mode
    WHERE mode = 'update'
    WITH row, old, old.id AS id, old.createdAt AS createdAt
    SET old = row.p, old.id = id, old.createdAt = createdAt
    RETURN old AS n
    UNION ALL
    WITH old, mode
    WHERE mode = 'ref'
    RETURN old AS n
    UNION ALL
    WITH mode
    WHERE mode IN ['skip', 'stale']
    RETURN null AS n
  }
  RETURN collect([n]) AS contexts, collect({
    mode: mode, id: n.id,
    byId: CASE WHEN byId IS NOT NULL THEN {id: byId.id, type: byId.type,
      typeVersion: byId.typeVersion, externalId: byId.externalId, name: byId.name} END,
    byExternalId: CASE WHEN byX IS NOT NULL THEN {id: byX.id, type: byX.type,
      typeVersion: byX.typeVersion, externalId: byX.externalId, name: byX.name} END,
    byName: CASE WHEN byName IS NOT NULL THEN {id: byName.id, type: byName.type,
      typeVersion: byName.typeVersion, externalId: byName.externalId, name: byName.name} END
  }) AS contextRows
}
CALL (artifactTypes) {
  UNWIND $artifacts AS row
  OPTIONAL MATCH (i:Artifact {id: coalesce(row.i, '')})
  OPTIONAL MATCH (x:Artifact {externalId: coalesce(row.p.externalId, '')})
  WITH row, artifactTypes[row.t][0] AS t,
       CASE WHEN row.i IS NOT NULL THEN i END AS byId,
       CASE WHEN row.p.externalId IS NOT NULL THEN x END AS byX
  WITH row, t, byId, byX, CASE WHEN row.i IS NOT NULL THEN byId ELSE byX END AS old
  WITH row, t, byId, byX, old,
       CASE
         WHEN row.w IS NULL THEN 'ref'
         WHEN t IS NULL THEN 'stale'
         WHEN old IS NULL THEN CASE WHEN row.i IS NULL THEN 'create' ELSE 'skip' END
         WHEN old.type <> row.p.type OR old.typeVersion <> row.p.typeVersion THEN 'skip'
         WHEN byId IS NOT NULL AND byX IS NOT NULL AND byX.id <> byId.id THEN 'skip'
         ELSE 'update'
       END AS mode
  CALL (row, t, old, mode) {
    WITH row, t, mode
    WHERE mode = 'create'
    CREATE (n:Artifact)
    SET n = row.p, n.id = row.n
    CREATE (n)-[:OF_TYPE]->(t)
    RETURN n
    UNION ALL
    WITH row, old, mode
    WHERE mode = 'update'
    WITH row, old, old.id AS id, old.createdAt AS createdAt
    SET old = row.p, old.id = id, old.createdAt = createdAt
    RETURN old AS n
    UNION ALL
    WITH old, mode
    WHERE mode = 'ref'
    RETURN old AS n
    UNION ALL
    WITH mode
    WHERE mode IN ['skip', 'stale']
    RETURN null AS n
  }
  RETURN collect([n]) AS artifacts, collect({
    mode: mode, id: n.id,
    byId: CASE WHEN byId IS NOT NULL THEN {id: byId.id, type: byId.type,
      typeVersion: byId.typeVersion, externalId: byId.externalId, name: byId.name} END,
    byExternalId: CASE WHEN byX IS NOT NULL THEN {id: byX.id, type: byX.type,
      typeVersion: byX.typeVersion, externalId: byX.externalId, name: byX.name} END
  }) AS artifactRows
}
CALL (executionTypes) {
  UNWIND $executions AS row
  OPTIONAL MATCH (i:Execution {id: coalesce(row.i, '')})
  OPTIONAL MATCH (x:Execution {externalId: coalesce(row.p.externalId, '')})
  WITH row, executionTypes[row.t][0] AS t,
       CASE WHEN row.i IS NOT NULL THEN i END AS byId,
       CASE WHEN row.p.externalId IS NOT NULL THEN x END AS byX
  WITH row, t, byId, byX, CASE WHEN row.i IS NOT NULL THEN byId ELSE byX END AS old
  WITH row, t, byId, byX, old,
       CASE
         WHEN row.w IS NULL THEN 'ref'
         WHEN t IS NULL THEN 'stale'
         WHEN old IS NULL THEN CASE WHEN row.i IS NULL THEN 'create' ELSE 'skip' END
         WHEN old.type <> row.p.type OR old.typeVersion <> row.p.typeVersion THEN 'skip'
         WHEN byId IS NOT NULL AND byX IS NOT NULL AND byX.id <> byId.id THEN 'skip'
         ELSE 'update'
       END AS mode
  CALL (row, t, old, mode) {
    WITH row, t, mode
    WHERE mode = 'create'
    CREATE (n:Execution)
    SET n = row.p, n.id = row.n
    CREATE (n)-[:OF_TYPE]->(t)
    RETURN n
    UNION ALL
    WITH row, old, mode
    WHERE mode = 'update'
    WITH row, old, old.id AS id, old.createdAt AS createdAt
    SET old = row.p, old.id = id, old.createdAt = createdAt
    RETURN old AS n
    UNION ALL
    WITH old, mode
    WHERE mode = 'ref'
    RETURN old AS n
    UNION ALL
    WITH mode
    WHERE mode IN ['skip', 'stale']
    RETURN null AS n
  }
  RETURN collect([n]) AS executions, collect({
    mode: mode, id: n.id,
    byId: CASE WHEN byId IS NOT NULL THEN {id: byId.id, type: byId.type,
      typeVersion: byId.typeVersion, externalId: byId.externalId, name: byId.name} END,
    byExternalId: CASE WHEN byX IS NOT NULL THEN {id: byX.id, type: byX.type,
      typeVersion: byX.typeVersion, externalId: byX.externalId, name: byX.name} END
  }) AS executionRows
}
CALL (artifacts, executions) {
  UNWIND range(0, size($inputs.artifact) - 1) AS k
  WITH k, artifacts[$inputs.artifact[k]][0] AS a, executions[$inputs.execution[k]][0] AS e
  WHERE a IS NOT NULL AND e IS NOT NULL
  WITH k, a, e,
       NOT EXISTS { (e)<-[:INPUT {kind: $inputs.kind[k], path: $inputs.path[k]}]-(a) } AS new
  MERGE (e)<-[r:INPUT {kind: $inputs.kind[k], path: $inputs.path[k]}]-(a)
    ON CREATE SET r.ts = coalesce($inputs.ts[k], $now)
  RETURN collect(CASE WHEN new THEN a.id END) AS inputArtifact,
         collect(CASE WHEN new THEN e.id END) AS inputExecution,
         collect(CASE WHEN new THEN r.kind END) AS inputKind, count(*) AS inputs
}
CALL (artifacts, executions) {
  UNWIND range(0, size($outputs.artifact) - 1) AS k
  WITH k, artifacts[$outputs.artifact[k]][0] AS a, executions[$outputs.execution[k]][0] AS e
  WHERE a IS NOT NULL AND e IS NOT NULL
  WITH k, a, e,
       NOT EXISTS { (e)-[:OUTPUT {kind: $outputs.kind[k], path: $outputs.path[k]}]->(a) } AS new
  MERGE (e)-[r:OUTPUT {kind: $outputs.kind[k], path: $outputs.path[k]}]->(a)
    ON CREATE SET r.ts = coalesce($outputs.ts[k], $now)
  RETURN collect(CASE WHEN new THEN a.id END) AS outputArtifact,
         collect(CASE WHEN new THEN e.id END) AS outputExecution,
         collect(CASE WHEN new THEN r.kind END) AS outputKind, count(*) AS outputs
}
CALL (artifacts, contexts) {
  UNWIND range(0, size($attributions.artifact) - 1) AS k
  WITH artifacts[$attributions.artifact[k]][0] AS a, contexts[$attributions.context[k]][0] AS c
  WHERE a IS NOT NULL AND c IS NOT NULL
  MERGE (a)-[:ATTRIBUTED_TO]->(c)
  RETURN count(*) AS attributions
}
CALL (executions, contexts) {
  UNWIND range(0, size($associations.execution) - 1) AS k
  WITH executions[$associations.execution[k]][0] AS e, contexts[$associations.context[k]][0] AS c
  WHERE e IS NOT NULL AND c IS NOT NULL
  MERGE (e)-[:ASSOCIATED_WITH]->(c)
  RETURN count(*) AS associations
}
WITH contextRows, artifactRows, executionRows, attributions, associations,
     inputArtifact + outputArtifact AS deltaArtifact,
     inputExecution + outputExecution AS deltaExecution, inputKind + outputKind AS deltaEvent,
     inputs, outputs
FOREACH (_ IN CASE WHEN size(deltaEvent) > 0 THEN [1] ELSE [] END |
  CREATE (:TopologyDelta {id: $deltaId, artifact: deltaArtifact, execution: deltaExecution,
                          event: deltaEvent}))
RETURN contextRows, artifactRows, executionRows, inputs, outputs, attributions, associations
