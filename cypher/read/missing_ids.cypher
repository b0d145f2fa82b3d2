// missing_ids — which of the given ids name no node of one kind.
// params: $ids: list of ids
// returns: missing (list of ids)
UNWIND $ids AS i
OPTIONAL MATCH (n:/*%label*/Artifact/*%*/ {id: i})
WITH i, n
WHERE n IS NULL
RETURN collect(i) AS missing
