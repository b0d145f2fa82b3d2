// aliases — a page of aliases by (model, name), of one model or of all ($model null),
// each with when it last moved.
// params: $model (null: every model), $afterModel, $afterName ('' and '' for the first
//         page), $limit
// returns: aliases (list of {model, name, version, updatedAt})
MATCH (al:Alias)
WHERE ($model IS NULL OR al.model = $model)
  AND (al.model > $afterModel OR (al.model = $afterModel AND al.name > $afterName))
WITH al ORDER BY al.model, al.name LIMIT $limit
OPTIONAL MATCH (al)-[:LAST_UPDATE]->(u:RefUpdate)
RETURN collect(al {.model, .name, .version, updatedAt: u.at}) AS aliases
