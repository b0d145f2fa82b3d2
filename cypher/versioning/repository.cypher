// repository — one repository by name (no row when there is none).
// params: $name
// returns: repository ({name, defaultBranch, protected, createdAt, root})
MATCH (r:Repository {name: $name})
RETURN r {.name, .defaultBranch, .protected, .createdAt, .root} AS repository
