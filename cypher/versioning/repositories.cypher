// repositories — a page of repositories by name, after a name.
// params: $after (a name; '' for the first page), $limit
// returns: repositories (list of {name, defaultBranch, protected, createdAt, root})
MATCH (r:Repository)
WHERE r.name > $after
WITH r ORDER BY r.name LIMIT $limit
RETURN collect(r {.name, .defaultBranch, .protected, .createdAt, .root}) AS repositories
