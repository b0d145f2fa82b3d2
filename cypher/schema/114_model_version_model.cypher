// A model's versions, listed by number.
CREATE INDEX model_version_model IF NOT EXISTS FOR (n:ModelVersion) ON (n.model, n.version)
