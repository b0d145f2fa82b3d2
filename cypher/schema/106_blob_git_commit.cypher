// Code blobs by the git commit they pin.
CREATE INDEX blob_git_commit IF NOT EXISTS FOR (n:Blob) ON (n.gitCommit)
