// registered_model — the id of a registered model's context (no row: none).
// params: $name
// returns: id
MATCH (c:Context {type: 'RegisteredModel', name: $name})
RETURN c.id AS id
