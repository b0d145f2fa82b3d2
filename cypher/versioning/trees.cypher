// trees — trees by sha: their entries as parallel lists sorted by path.
// params: $shas
// returns: trees (list of {sha, paths, blobs, kinds})
UNWIND $shas AS s
MATCH (t:Tree {sha: s})
RETURN collect(t {.sha, .paths, .blobs, .kinds}) AS trees
