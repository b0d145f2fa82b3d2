// put_dataset_aliases — record dataset identities (OpenLineage namespace and name) of
// artifacts: a new identity names its artifact for good; a known one only gains the
// flags (named as a dataset's own identity, named as a LOCATION symlink).
// params: $rows: list of {key, artifactId, namespace, name, primary, location}
// returns: written (how many rows were merged)
UNWIND $rows AS row
MERGE (a:DatasetAlias {key: row.key})
  ON CREATE SET a.artifactId = row.artifactId, a.namespace = row.namespace,
                a.name = row.name, a.primary = row.primary, a.location = row.location
  ON MATCH SET a.primary = a.primary OR row.primary, a.location = a.location OR row.location
RETURN count(a) AS written
