// dataset_aliases — which artifact each OpenLineage dataset identity names.
// params: $keys: list of alias keys
// returns: aliases (list of {key, artifactId} for the keys that name an artifact)
UNWIND $keys AS key
MATCH (a:DatasetAlias {key: key})
RETURN collect(a {.key, .artifactId}) AS aliases
