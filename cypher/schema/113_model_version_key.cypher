// A model version is unique per registered model: key = model/version.
CREATE CONSTRAINT model_version_key IF NOT EXISTS FOR (n:ModelVersion) REQUIRE n.key IS UNIQUE
