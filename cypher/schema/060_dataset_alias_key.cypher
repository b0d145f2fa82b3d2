// OpenLineage: a dataset's identities (namespace, name), each naming one artifact, looked up by key.
CREATE CONSTRAINT dataset_alias_key IF NOT EXISTS FOR (n:DatasetAlias) REQUIRE n.key IS UNIQUE
