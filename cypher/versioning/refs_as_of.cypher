// refs_as_of — for each ref, its last move at or before $asOf (absent: none by then).
// params: $refs (keys), $asOf (ms)
// returns: updates (list of {id, ref, refType, op, from, to, actor, at, reason, promotionId})
UNWIND $refs AS ref
CALL (ref) {
  MATCH (u:RefUpdate)
  WHERE u.ref = ref AND u.at <= $asOf
  RETURN u ORDER BY u.at DESC, u.id DESC LIMIT 1
}
RETURN collect(u {.id, .ref, .refType, .op, .from, .to, .actor, .at, .reason,
                  .promotionId}) AS updates
