// ref_history — a page of a ref's moves, newest first, up to $asOf; keyset on (at, id).
// params: $ref (key), $asOf (ms), $afterAt, $afterId (the last entry of the previous page;
//         a time past every entry and '' for the first page), $limit
// returns: updates (list of {id, ref, refType, op, from, to, actor, at, reason, promotionId})
MATCH (u:RefUpdate)
WHERE u.ref = $ref AND u.at <= $asOf
  AND (u.at < $afterAt OR (u.at = $afterAt AND u.id < $afterId))
WITH u ORDER BY u.at DESC, u.id DESC LIMIT $limit
RETURN collect(u {.id, .ref, .refType, .op, .from, .to, .actor, .at, .reason,
                  .promotionId}) AS updates
