// put_dataset_aliases — record dataset identities (OpenLineage namespace and name) of
// artifacts: a new identity names its artifact for good; a known one only gains the
// flags (named as a dataset's own identity, named as a LOCATION symlink).
// params: $rows: list of {key, artifactId, namespace, name, primary, location}
// returns: owners (for each row, {key, artifactId}: the artifact its identity names, which
//          is another one when another event gave that name to its artifact first)
UNWIND $rows AS row
MERGE (a:DatasetAlias {key: row.key})
  ON CREATE SET a.artifactId = row.artifactId, a.namespace = row.namespace,
                a.name = row.name, a.primary = row.primary, a.location = row.location
  ON MATCH SET a.primary = a.primary OR row.primary, a.location = a.location OR row.location
RETURN collect({key: a.key, artifactId: a.artifactId}) AS owners
