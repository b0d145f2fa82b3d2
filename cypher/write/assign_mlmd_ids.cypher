// assign_mlmd_ids — give nodes written before MLMD's int64 ids were kept an mlmdId: up to
// $limit nodes of one label that have none, oldest first, take the next ids of the kind's
// IdSequence (the types of the three kinds share the sequence 'Type').
// params: $kind (the sequence: Artifact, Execution, Context or Type), $limit
// returns: assigned (how many nodes got an id)
MATCH (n:/*%label*/Artifact/*%*/)
WHERE n.mlmdId IS NULL
WITH n ORDER BY n.createdAt, n.id
LIMIT $limit
WITH collect(n) AS nodes
CALL (nodes) {
  UNWIND [k IN [size(nodes)] WHERE k > 0] AS k
  MERGE (s:IdSequence {kind: $kind})
  SET s.next = coalesce(s.next, 1) + k
  WITH nodes, s.next - k AS base
  UNWIND range(0, size(nodes) - 1) AS i
  WITH nodes[i] AS n, base + i AS id
  SET n.mlmdId = id
  RETURN count(*) AS assigned
}
RETURN sum(assigned) AS assigned
