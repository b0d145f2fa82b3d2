// Dataset blobs by the uri they version.
CREATE INDEX blob_dataset_uri IF NOT EXISTS FOR (n:Blob) ON (n.datasetUri)
