// A deployment is found by its unique name.
CREATE CONSTRAINT deployment_name IF NOT EXISTS FOR (n:Deployment) REQUIRE n.name IS UNIQUE
