// commits_by_sha — commits by sha, with the blob each holds at $path (null: none).
// params: $shas, $path (null when no blob is wanted)
// returns: commits (list of {sha, repo, message, author, createdAt, generation, treeSha,
//          parents, metadata, pathBlob})
UNWIND $shas AS s
MATCH (c:Commit {sha: s})
OPTIONAL MATCH (t:Tree {sha: c.treeSha})
  WHERE $path IS NOT NULL
RETURN collect(c {.sha, .repo, .message, .author, .createdAt, .generation, .treeSha, .parents,
                  .metadata, pathBlob: CASE WHEN t IS NULL THEN null ELSE
                    head([i IN range(0, size(t.paths) - 1) WHERE t.paths[i] = $path |
                          t.blobs[i]]) END}) AS commits
