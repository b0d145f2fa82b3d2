// put_batch — a whole batch write in one statement: contexts, artifacts and executions
// upserted or looked up, then the events, attributions and associations between them,
// bound to the nodes by their position in the batch, and the TopologyDelta that records
// the INPUT and OUTPUT edges, attributions and associations it created for the topology
// index (design §2), and the artifacts and executions whose stored fields it changed (the
// index's process may hold them): one per statement that created or changed any. A row
// that changes nothing is not written (its updatedAt stays, as in MLMD), and re-sent
// edges are there already: re-sending a batch writes nothing, not even a delta. The delta
// lists the batch's node ids once per kind and names each edge's ends by position in those
// lists: a third of the size of an id per end.
// A row's node is created, or its changed fields written, by FOREACH, and a created node
// is then found by its id: a CALL subquery per row (a UNION of the row's four modes) took
// a quarter of the statement's time on the embedded engine.
// A node row is written when it has `w`; without it the row only looks its node up by
// every key (a batch refused before writing, whose errors are worked out from what the
// lookups found). The stored nodes edges name by id are the refs. A row's
// target is the node of its id, else of its external id, else (contexts) of its
// (type, name); the row is written only when its type matches the target's and no key
// belongs to another node, else its mode is 'skip' (the caller raises the error). Rows
// whose type node is gone or holds another schema than the rows were checked against are
// 'stale' (the caller re-reads the types and tries again). Keys absent from a row are
// looked up as '' and the match then ignored: an index seek for null scans the label on
// the embedded engine.
// An edge one of whose ends this statement created cannot exist yet: with $fresh it is
// created without a look at the other end's edges (a raw dataset read by thousands of
// executions has thousands); the caller sends each such edge once, and sends $fresh
// false when two rows may name one stored node. Other edges are merged. Re-sending a
// batch writes nothing new.
// A row with `c` must create its node (MLMD's create, not our upsert): its mode is 'taken'
// when a stored node holds its external id or its (type, name). It is checked here, after
// the statement wrote the kind's IdSequence (a write lock on Neo4j, a conflict at commit
// on the embedded engine; either way the later of two concurrent creates of one key runs
// again and sees the first): a check in an earlier transaction cannot, and artifact and
// execution names have no unique constraint (the domain allows two of one name).
// MLMD's int64 ids: a created node gets `mlmdId` (its row's `m` if given, else the next of
// its kind's IdSequence: the statement reserves one per row, so ids grow in insertion
// order, with gaps for rows that did not create a node), kept by updates; a created event
// gets `seq` likewise (MLMD returns events in insertion order). The sequence node is the
// one write lock concurrent batches of a kind share; the `c` check relies on it.
// params: $now (ms), $deltaId (the TopologyDelta's id), $fresh (see above),
//         $contextTypes, $artifactTypes, $executionTypes: lists of {name, version ('' when
//           unversioned), schema (the JSON text, as stored, that the rows' properties were
//           checked against; '' for none)},
//         $contexts, $artifacts, $executions: lists of rows {p: the node's stored
//           properties (type, typeVersion, externalId, name, ..., createdAt, updatedAt),
//           t: its type's position in the kind's types, n: the id it gets if created,
//           i: the id it names (absent: none), w: true to write it (absent: look up only),
//           m: the mlmdId it gets if created (absent: the next of the sequence),
//           c: true when the row must create its node (absent: upsert),
//           u: true to write the row even if it changes nothing (a new updatedAt),
//           v: the updatedAt its stored node must still have (absent: any)},
//         $contextRefs, $artifactRefs, $executionRefs: ids of stored nodes the edges name,
//         $inputs, $outputs: {artifact, execution (positions in $artifacts then
//           $artifactRefs, in $executions then $executionRefs), kind, path (JSON text),
//           ts (ms, or null for $now)}: parallel lists, one entry per event,
//         $attributions: {artifact, context}, $associations: {execution, context}: parallel
//           lists of positions, likewise
// returns: contextRows, artifactRows, executionRows: a map for each row of $contexts,
//          $artifacts, $executions that did not create its node (rows absent created
//          theirs): {k (the row's position), mode ('update', 'ref', 'skip', 'stale',
//          'taken' or 'moved' (its node's updatedAt is not `v`)), id (the node's, null when none), changed (an 'update' row changed
//          a stored field), byId, byExternalId, byName (the stored node each
//          key found before the write: {id, type, typeVersion, externalId, name} or null)},
//          contextRefIds, artifactRefIds, executionRefIds (each ref's id, null when no
//          such node), inputs, outputs, attributions, associations (how many edges of each
//          were written or found)
CALL () {
  UNWIND [n IN [size($contexts)] WHERE n > 0] AS n
  MERGE (s:IdSequence {kind: 'Context'})
  WITH s, n, reduce(top = 0, r IN $contexts | CASE WHEN coalesce(r.m, 0) > top THEN r.m ELSE top END) AS top
  SET s.next = CASE WHEN top >= coalesce(s.next, 1) THEN top + 1 ELSE coalesce(s.next, 1) END + n
  RETURN collect(s.next - n) AS contextBase
}
CALL () {
  UNWIND [n IN [size($artifacts)] WHERE n > 0] AS n
  MERGE (s:IdSequence {kind: 'Artifact'})
  WITH s, n, reduce(top = 0, r IN $artifacts | CASE WHEN coalesce(r.m, 0) > top THEN r.m ELSE top END) AS top
  SET s.next = CASE WHEN top >= coalesce(s.next, 1) THEN top + 1 ELSE coalesce(s.next, 1) END + n
  RETURN collect(s.next - n) AS artifactBase
}
CALL () {
  UNWIND [n IN [size($executions)] WHERE n > 0] AS n
  MERGE (s:IdSequence {kind: 'Execution'})
  WITH s, n, reduce(top = 0, r IN $executions | CASE WHEN coalesce(r.m, 0) > top THEN r.m ELSE top END) AS top
  SET s.next = CASE WHEN top >= coalesce(s.next, 1) THEN top + 1 ELSE coalesce(s.next, 1) END + n
  RETURN collect(s.next - n) AS executionBase
}
CALL () {
  UNWIND [n IN [size($inputs.artifact) + size($outputs.artifact)] WHERE n > 0] AS n
  MERGE (s:IdSequence {kind: 'Event'})
  SET s.next = coalesce(s.next, 1) + n
  RETURN collect(s.next - n) AS eventBase
}
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
CALL (contextTypes, contextBase) {
  UNWIND range(0, size($contexts) - 1) AS k
  WITH k, $contexts[k] AS row, contextTypes,
       coalesce($contexts[k].m, contextBase[0] + k) AS mid
  OPTIONAL MATCH (i:Context {id: coalesce(row.i, '')})
  OPTIONAL MATCH (x:Context {externalId: coalesce(row.p.externalId, '')})
  OPTIONAL MATCH (m:Context {type: coalesce(row.p.type, ''), name: coalesce(row.p.name, '')})
  WITH k, row, mid, contextTypes[row.t][0] AS t,
       CASE WHEN row.i IS NOT NULL THEN i END AS byId,
       CASE WHEN row.p.externalId IS NOT NULL THEN x END AS byX,
       CASE WHEN row.i IS NULL AND row.p.name IS NOT NULL THEN m END AS byName
  WITH k, row, mid, t, byId, byX, byName,
       CASE WHEN row.i IS NOT NULL THEN byId WHEN byX IS NOT NULL THEN byX ELSE byName END
         AS old
  WITH k, row, mid, t, byId, byX, byName, old,
       CASE
         WHEN row.w IS NULL THEN 'ref'
         WHEN t IS NULL THEN 'stale'
         WHEN row.v IS NOT NULL AND old IS NOT NULL AND old.updatedAt <> row.v THEN 'moved'
         WHEN row.c AND old IS NOT NULL THEN 'taken'
         WHEN old IS NULL THEN CASE WHEN row.i IS NULL THEN 'create' ELSE 'skip' END
         WHEN old.type <> row.p.type OR old.typeVersion <> row.p.typeVersion THEN 'skip'
         WHEN byId IS NOT NULL AND byX IS NOT NULL AND byX.id <> byId.id THEN 'skip'
         WHEN row.i IS NULL AND byX IS NULL AND row.p.externalId IS NOT NULL
              AND old.externalId IS NOT NULL AND old.externalId <> row.p.externalId THEN 'skip'
         ELSE 'update'
       END AS mode
  WITH k, row, mid, t, byId, byX, byName, old, mode,
       mode = 'update' AND (coalesce(row.u, false)
         OR any(key IN keys(row.p) WHERE NOT key IN ['createdAt', 'updatedAt']
             AND NOT coalesce(old[key] = row.p[key], old[key] IS NULL AND row.p[key] IS NULL))
         OR any(key IN keys(old) WHERE NOT key IN ['id', 'createdAt', 'updatedAt', 'mlmdId']
                AND row.p[key] IS NULL)) AS changed
  WITH k, row, mid, t, byId, byX, byName, old, mode, changed, old.id AS oldId,
       old.createdAt AS oldCreatedAt, old.mlmdId AS oldMlmdId
  FOREACH (_ IN CASE WHEN mode = 'create' THEN [1] ELSE [] END |
    CREATE (n:Context {id: row.n, mlmdId: mid})
    SET n += row.p
    CREATE (n)-[:OF_TYPE]->(t))
  FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
    SET old = row.p, old.id = oldId, old.createdAt = oldCreatedAt, old.mlmdId = oldMlmdId)
  WITH k, row, byId, byX, byName, old, mode, changed
  OPTIONAL MATCH (c:Context {id: CASE WHEN mode = 'create' THEN row.n ELSE '' END})
  WITH k, row, byId, byX, byName, mode, changed,
       CASE WHEN mode = 'create' THEN c WHEN mode IN ['update', 'ref'] THEN old END AS n
  RETURN collect([n]) AS contexts, collect(mode = 'create') AS contextsNew,
         collect(CASE WHEN mode <> 'create' THEN {
    k: k, mode: mode, id: n.id, changed: changed,
    byId: CASE WHEN byId IS NOT NULL THEN {id: byId.id, type: byId.type,
      typeVersion: byId.typeVersion, externalId: byId.externalId, name: byId.name} END,
    byExternalId: CASE WHEN byX IS NOT NULL THEN {id: byX.id, type: byX.type,
      typeVersion: byX.typeVersion, externalId: byX.externalId, name: byX.name} END,
    byName: CASE WHEN byName IS NOT NULL THEN {id: byName.id, type: byName.type,
      typeVersion: byName.typeVersion, externalId: byName.externalId, name: byName.name} END
  } END) AS contextRows
}
CALL (artifactTypes, artifactBase) {
  UNWIND range(0, size($artifacts) - 1) AS k
  WITH k, $artifacts[k] AS row, artifactTypes,
       coalesce($artifacts[k].m, artifactBase[0] + k) AS mid
  OPTIONAL MATCH (i:Artifact {id: coalesce(row.i, '')})
  OPTIONAL MATCH (x:Artifact {externalId: coalesce(row.p.externalId, '')})
  CALL (row) {
    OPTIONAL MATCH (m:Artifact {name: coalesce(CASE WHEN row.c THEN row.p.name END, '')})
    WHERE m.type = row.p.type AND m.typeVersion = row.p.typeVersion
    RETURN m AS byName
    LIMIT 1
  }
  WITH k, row, mid, artifactTypes[row.t][0] AS t,
       CASE WHEN row.i IS NOT NULL THEN i END AS byId,
       CASE WHEN row.p.externalId IS NOT NULL THEN x END AS byX,
       CASE WHEN row.c AND row.p.name IS NOT NULL THEN byName END AS byName
  WITH k, row, mid, t, byId, byX, byName,
       CASE WHEN row.i IS NOT NULL THEN byId ELSE byX END AS old
  WITH k, row, mid, t, byId, byX, byName, old,
       CASE
         WHEN row.w IS NULL THEN 'ref'
         WHEN t IS NULL THEN 'stale'
         WHEN row.v IS NOT NULL AND old IS NOT NULL AND old.updatedAt <> row.v THEN 'moved'
         WHEN row.c AND (byX IS NOT NULL OR byName IS NOT NULL) THEN 'taken'
         WHEN old IS NULL THEN CASE WHEN row.i IS NULL THEN 'create' ELSE 'skip' END
         WHEN old.type <> row.p.type OR old.typeVersion <> row.p.typeVersion THEN 'skip'
         WHEN byId IS NOT NULL AND byX IS NOT NULL AND byX.id <> byId.id THEN 'skip'
         ELSE 'update'
       END AS mode
  WITH k, row, mid, t, byId, byX, byName, old, mode,
       mode = 'update' AND (coalesce(row.u, false)
         OR any(key IN keys(row.p) WHERE NOT key IN ['createdAt', 'updatedAt']
             AND NOT coalesce(old[key] = row.p[key], old[key] IS NULL AND row.p[key] IS NULL))
         OR any(key IN keys(old) WHERE NOT key IN ['id', 'createdAt', 'updatedAt', 'mlmdId']
                AND row.p[key] IS NULL)) AS changed
  WITH k, row, mid, t, byId, byX, byName, old, mode, changed, old.id AS oldId,
       old.createdAt AS oldCreatedAt, old.mlmdId AS oldMlmdId
  FOREACH (_ IN CASE WHEN mode = 'create' THEN [1] ELSE [] END |
    CREATE (n:Artifact {id: row.n, mlmdId: mid})
    SET n += row.p
    CREATE (n)-[:OF_TYPE]->(t))
  FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
    SET old = row.p, old.id = oldId, old.createdAt = oldCreatedAt, old.mlmdId = oldMlmdId)
  WITH k, row, byId, byX, byName, old, mode, changed
  OPTIONAL MATCH (c:Artifact {id: CASE WHEN mode = 'create' THEN row.n ELSE '' END})
  WITH k, row, byId, byX, byName, mode, changed,
       CASE WHEN mode = 'create' THEN c WHEN mode IN ['update', 'ref'] THEN old END AS n
  RETURN collect([n]) AS artifacts, collect(mode = 'create') AS artifactsNew,
         collect(CASE WHEN mode <> 'create' THEN {
    k: k, mode: mode, id: n.id, changed: changed,
    byId: CASE WHEN byId IS NOT NULL THEN {id: byId.id, type: byId.type,
      typeVersion: byId.typeVersion, externalId: byId.externalId, name: byId.name} END,
    byExternalId: CASE WHEN byX IS NOT NULL THEN {id: byX.id, type: byX.type,
      typeVersion: byX.typeVersion, externalId: byX.externalId, name: byX.name} END,
    byName: CASE WHEN byName IS NOT NULL THEN {id: byName.id, type: byName.type,
      typeVersion: byName.typeVersion, externalId: byName.externalId, name: byName.name} END
  } END) AS artifactRows
}
CALL (executionTypes, executionBase) {
  UNWIND range(0, size($executions) - 1) AS k
  WITH k, $executions[k] AS row, executionTypes,
       coalesce($executions[k].m, executionBase[0] + k) AS mid
  OPTIONAL MATCH (i:Execution {id: coalesce(row.i, '')})
  OPTIONAL MATCH (x:Execution {externalId: coalesce(row.p.externalId, '')})
  CALL (row) {
    OPTIONAL MATCH (m:Execution {name: coalesce(CASE WHEN row.c THEN row.p.name END, '')})
    WHERE m.type = row.p.type AND m.typeVersion = row.p.typeVersion
    RETURN m AS byName
    LIMIT 1
  }
  WITH k, row, mid, executionTypes[row.t][0] AS t,
       CASE WHEN row.i IS NOT NULL THEN i END AS byId,
       CASE WHEN row.p.externalId IS NOT NULL THEN x END AS byX,
       CASE WHEN row.c AND row.p.name IS NOT NULL THEN byName END AS byName
  WITH k, row, mid, t, byId, byX, byName,
       CASE WHEN row.i IS NOT NULL THEN byId ELSE byX END AS old
  WITH k, row, mid, t, byId, byX, byName, old,
       CASE
         WHEN row.w IS NULL THEN 'ref'
         WHEN t IS NULL THEN 'stale'
         WHEN row.v IS NOT NULL AND old IS NOT NULL AND old.updatedAt <> row.v THEN 'moved'
         WHEN row.c AND (byX IS NOT NULL OR byName IS NOT NULL) THEN 'taken'
         WHEN old IS NULL THEN CASE WHEN row.i IS NULL THEN 'create' ELSE 'skip' END
         WHEN old.type <> row.p.type OR old.typeVersion <> row.p.typeVersion THEN 'skip'
         WHEN byId IS NOT NULL AND byX IS NOT NULL AND byX.id <> byId.id THEN 'skip'
         ELSE 'update'
       END AS mode
  WITH k, row, mid, t, byId, byX, byName, old, mode,
       mode = 'update' AND (coalesce(row.u, false)
         OR any(key IN keys(row.p) WHERE NOT key IN ['createdAt', 'updatedAt']
             AND NOT coalesce(old[key] = row.p[key], old[key] IS NULL AND row.p[key] IS NULL))
         OR any(key IN keys(old) WHERE NOT key IN ['id', 'createdAt', 'updatedAt', 'mlmdId']
                AND row.p[key] IS NULL)) AS changed
  WITH k, row, mid, t, byId, byX, byName, old, mode, changed, old.id AS oldId,
       old.createdAt AS oldCreatedAt, old.mlmdId AS oldMlmdId
  FOREACH (_ IN CASE WHEN mode = 'create' THEN [1] ELSE [] END |
    CREATE (n:Execution {id: row.n, mlmdId: mid})
    SET n += row.p
    CREATE (n)-[:OF_TYPE]->(t))
  FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
    SET old = row.p, old.id = oldId, old.createdAt = oldCreatedAt, old.mlmdId = oldMlmdId)
  WITH k, row, byId, byX, byName, old, mode, changed
  OPTIONAL MATCH (c:Execution {id: CASE WHEN mode = 'create' THEN row.n ELSE '' END})
  WITH k, row, byId, byX, byName, mode, changed,
       CASE WHEN mode = 'create' THEN c WHEN mode IN ['update', 'ref'] THEN old END AS n
  RETURN collect([n]) AS executions, collect(mode = 'create') AS executionsNew,
         collect(CASE WHEN mode <> 'create' THEN {
    k: k, mode: mode, id: n.id, changed: changed,
    byId: CASE WHEN byId IS NOT NULL THEN {id: byId.id, type: byId.type,
      typeVersion: byId.typeVersion, externalId: byId.externalId, name: byId.name} END,
    byExternalId: CASE WHEN byX IS NOT NULL THEN {id: byX.id, type: byX.type,
      typeVersion: byX.typeVersion, externalId: byX.externalId, name: byX.name} END,
    byName: CASE WHEN byName IS NOT NULL THEN {id: byName.id, type: byName.type,
      typeVersion: byName.typeVersion, externalId: byName.externalId, name: byName.name} END
  } END) AS executionRows
}
CALL () {
  UNWIND $contextRefs AS id
  OPTIONAL MATCH (n:Context {id: id})
  RETURN collect([n]) AS contextRefs
}
CALL () {
  UNWIND $artifactRefs AS id
  OPTIONAL MATCH (n:Artifact {id: id})
  RETURN collect([n]) AS artifactRefs
}
CALL () {
  UNWIND $executionRefs AS id
  OPTIONAL MATCH (n:Execution {id: id})
  RETURN collect([n]) AS executionRefs
}
WITH contextRows, artifactRows, executionRows, eventBase,
     [r IN contextRefs | r[0].id] AS contextRefIds,
     [r IN artifactRefs | r[0].id] AS artifactRefIds,
     [r IN executionRefs | r[0].id] AS executionRefIds,
     contexts + contextRefs AS contextNodes, artifacts + artifactRefs AS artifactNodes,
     executions + executionRefs AS executionNodes,
     contextsNew + [r IN contextRefs | false] AS contextNew,
     artifactsNew + [r IN artifactRefs | false] AS artifactNew,
     executionsNew + [r IN executionRefs | false] AS executionNew
CALL (artifactNodes, executionNodes, artifactNew, executionNew, eventBase) {
  UNWIND range(0, size($inputs.artifact) - 1) AS k
  WITH k, $inputs.artifact[k] AS ai, $inputs.execution[k] AS xi, artifactNodes,
       executionNodes, artifactNew, executionNew, eventBase[0] + k AS seq
  WITH k, seq, ai, xi, artifactNodes[ai][0] AS a, executionNodes[xi][0] AS e,
       $fresh AND (artifactNew[ai] OR executionNew[xi]) AS fresh
  WHERE a IS NOT NULL AND e IS NOT NULL
  WITH k, seq, ai, xi, a, e, fresh, CASE WHEN fresh THEN true ELSE NOT EXISTS {
         (e)<-[:INPUT {kind: $inputs.kind[k], path: $inputs.path[k]}]-(a)
       } END AS new
  FOREACH (_ IN CASE WHEN fresh THEN [1] ELSE [] END |
    CREATE (e)<-[:INPUT {kind: $inputs.kind[k], path: $inputs.path[k],
                         ts: coalesce($inputs.ts[k], $now), seq: seq}]-(a))
  FOREACH (_ IN CASE WHEN fresh THEN [] ELSE [1] END |
    MERGE (e)<-[r:INPUT {kind: $inputs.kind[k], path: $inputs.path[k]}]-(a)
      ON CREATE SET r.ts = coalesce($inputs.ts[k], $now), r.seq = seq)
  RETURN collect(CASE WHEN new THEN ai END) AS inputArtifact,
         collect(CASE WHEN new THEN xi END) AS inputExecution,
         collect(CASE WHEN new THEN $inputs.kind[k] END) AS inputKind, count(*) AS inputs
}
CALL (artifactNodes, executionNodes, artifactNew, executionNew, eventBase) {
  UNWIND range(0, size($outputs.artifact) - 1) AS k
  WITH k, $outputs.artifact[k] AS ai, $outputs.execution[k] AS xi, artifactNodes,
       executionNodes, artifactNew, executionNew, eventBase[0] + size($inputs.artifact) + k AS seq
  WITH k, seq, ai, xi, artifactNodes[ai][0] AS a, executionNodes[xi][0] AS e,
       $fresh AND (artifactNew[ai] OR executionNew[xi]) AS fresh
  WHERE a IS NOT NULL AND e IS NOT NULL
  WITH k, seq, ai, xi, a, e, fresh, CASE WHEN fresh THEN true ELSE NOT EXISTS {
         (e)-[:OUTPUT {kind: $outputs.kind[k], path: $outputs.path[k]}]->(a)
       } END AS new
  FOREACH (_ IN CASE WHEN fresh THEN [1] ELSE [] END |
    CREATE (e)-[:OUTPUT {kind: $outputs.kind[k], path: $outputs.path[k],
                         ts: coalesce($outputs.ts[k], $now), seq: seq}]->(a))
  FOREACH (_ IN CASE WHEN fresh THEN [] ELSE [1] END |
    MERGE (e)-[r:OUTPUT {kind: $outputs.kind[k], path: $outputs.path[k]}]->(a)
      ON CREATE SET r.ts = coalesce($outputs.ts[k], $now), r.seq = seq)
  RETURN collect(CASE WHEN new THEN ai END) AS outputArtifact,
         collect(CASE WHEN new THEN xi END) AS outputExecution,
         collect(CASE WHEN new THEN $outputs.kind[k] END) AS outputKind, count(*) AS outputs
}
CALL (artifactNodes, contextNodes, artifactNew, contextNew) {
  UNWIND range(0, size($attributions.artifact) - 1) AS k
  WITH $attributions.artifact[k] AS ai, $attributions.context[k] AS ci, artifactNodes,
       contextNodes, artifactNew, contextNew
  WITH ai, ci, artifactNodes[ai][0] AS a, contextNodes[ci][0] AS c,
       $fresh AND (artifactNew[ai] OR contextNew[ci]) AS fresh
  WHERE a IS NOT NULL AND c IS NOT NULL
  WITH ai, ci, a, c, fresh,
       CASE WHEN fresh THEN true ELSE NOT EXISTS { (a)-[:ATTRIBUTED_TO]->(c) } END AS new
  FOREACH (_ IN CASE WHEN fresh THEN [1] ELSE [] END | CREATE (a)-[:ATTRIBUTED_TO]->(c))
  FOREACH (_ IN CASE WHEN fresh THEN [] ELSE [1] END | MERGE (a)-[:ATTRIBUTED_TO]->(c))
  RETURN collect(CASE WHEN new THEN ai END) AS attributedArtifact,
         collect(CASE WHEN new THEN ci END) AS attributedContext, count(*) AS attributions
}
CALL (executionNodes, contextNodes, executionNew, contextNew) {
  UNWIND range(0, size($associations.execution) - 1) AS k
  WITH $associations.execution[k] AS xi, $associations.context[k] AS ci, executionNodes,
       contextNodes, executionNew, contextNew
  WITH xi, ci, executionNodes[xi][0] AS e, contextNodes[ci][0] AS c,
       $fresh AND (executionNew[xi] OR contextNew[ci]) AS fresh
  WHERE e IS NOT NULL AND c IS NOT NULL
  WITH xi, ci, e, c, fresh,
       CASE WHEN fresh THEN true ELSE NOT EXISTS { (e)-[:ASSOCIATED_WITH]->(c) } END AS new
  FOREACH (_ IN CASE WHEN fresh THEN [1] ELSE [] END | CREATE (e)-[:ASSOCIATED_WITH]->(c))
  FOREACH (_ IN CASE WHEN fresh THEN [] ELSE [1] END | MERGE (e)-[:ASSOCIATED_WITH]->(c))
  RETURN collect(CASE WHEN new THEN xi END) AS associatedExecution,
         collect(CASE WHEN new THEN ci END) AS associatedContext, count(*) AS associations
}
WITH contextRows, artifactRows, executionRows, contextRefIds, artifactRefIds,
     executionRefIds, attributions, associations, inputs, outputs, artifactNodes,
     executionNodes, contextNodes,
     inputArtifact + outputArtifact AS deltaArtifact,
     inputExecution + outputExecution AS deltaExecution, inputKind + outputKind AS deltaEvent,
     attributedArtifact, attributedContext, associatedExecution, associatedContext,
     [r IN artifactRows WHERE r.changed | r.id]
       + [r IN executionRows WHERE r.changed | r.id] AS updated
FOREACH (_ IN CASE WHEN size(deltaEvent) + size(attributedArtifact)
                        + size(associatedExecution) + size(updated) > 0 THEN [1] ELSE [] END |
  CREATE (:TopologyDelta {id: $deltaId, updated: updated,
    artifactIds: [n IN artifactNodes | coalesce(n[0].id, '')],
    executionIds: [n IN executionNodes | coalesce(n[0].id, '')],
    contextIds: [n IN contextNodes | coalesce(n[0].id, '')],
    edgeArtifact: deltaArtifact, edgeExecution: deltaExecution, edgeEvent: deltaEvent,
    attributedArtifact: attributedArtifact, attributedContext: attributedContext,
    associatedExecution: associatedExecution, associatedContext: associatedContext}))
RETURN contextRows, artifactRows, executionRows, contextRefIds, artifactRefIds,
       executionRefIds, inputs, outputs, attributions, associations