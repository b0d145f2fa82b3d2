// branches — a page of a repository's branches by name, after a name.
// params: $repo, $after ('' for the first page), $limit
// returns: branches (list of {name, head})
MATCH (b:Branch)
WHERE b.repo = $repo AND b.name > $after
WITH b ORDER BY b.name LIMIT $limit
RETURN collect(b {.name, .head}) AS branches
