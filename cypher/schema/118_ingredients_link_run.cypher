// A run links to one commit, once: the link's record is unique per run, so of two
// concurrent links of one run the second fails here, re-runs and sees the first.
CREATE CONSTRAINT ingredients_link_run IF NOT EXISTS FOR (n:IngredientsLink) REQUIRE n.runId IS UNIQUE
