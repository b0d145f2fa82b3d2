// A branch is unique per repository: key = repo/name.
CREATE CONSTRAINT branch_key IF NOT EXISTS FOR (n:Branch) REQUIRE n.key IS UNIQUE
