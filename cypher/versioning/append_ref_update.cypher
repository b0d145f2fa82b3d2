// append_ref_update — log one move of a branch, tag or alias: a RefUpdate chained to the
// ref's previous one. Times of one ref strictly increase (a move in the same millisecond
// as the previous one is dated one millisecond later), so "as of" answers are exact.
// params: $key (the ref's key), $id, $refType, $op, $from, $to, $actor, $now, $reason,
//         $promotionId
// returns: update ({id, ref, refType, op, from, to, actor, at, reason, promotionId})
MATCH (r:/*%label*/Branch/*%*/ {key: $key})
OPTIONAL MATCH (r)-[l:LAST_UPDATE]->(prev:RefUpdate)
CALL () {
  OPTIONAL MATCH (last:RefUpdate)
  WHERE last.ref = $key
  RETURN max(last.at) AS lastAt
}
WITH r, l, prev, CASE WHEN lastAt IS NOT NULL AND lastAt >= $now THEN lastAt + 1 ELSE $now END AS at
CREATE (u:RefUpdate {id: $id, ref: $key, refType: $refType, op: $op, from: $from, to: $to,
                     actor: $actor, at: at, reason: $reason, promotionId: $promotionId})
CREATE (r)-[:LAST_UPDATE]->(u)
FOREACH (_ IN CASE WHEN prev IS NULL THEN [] ELSE [1] END | CREATE (u)-[:PREVIOUS]->(prev))
DELETE l
RETURN u {.id, .ref, .refType, .op, .from, .to, .actor, .at, .reason, .promotionId} AS update
