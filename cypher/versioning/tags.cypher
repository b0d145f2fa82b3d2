// tags — a page of a repository's tags by name, after a name.
// params: $repo, $after ('' for the first page), $limit
// returns: tags (list of {name, target})
MATCH (t:Tag)
WHERE t.repo = $repo AND t.name > $after
WITH t ORDER BY t.name LIMIT $limit
RETURN collect(t {.name, .target}) AS tags
