-- An approval binds the code, not only the manifest (issue 18). Every hand-written file of a
-- connector folder is kept once by content (file_blobs); a fingerprint names one set of files
-- (fingerprint_files, written once, never changed); a connector and its approval each point at
-- one. A connector registered before this has no fingerprint ('') until its next sync.

CREATE TABLE file_blobs (
    hash            TEXT PRIMARY KEY,
    size            INTEGER NOT NULL,
    content         BLOB NOT NULL
);

CREATE TABLE fingerprint_files (
    fingerprint     TEXT NOT NULL,
    path            TEXT NOT NULL,
    file_hash       TEXT NOT NULL REFERENCES file_blobs (hash),
    PRIMARY KEY (fingerprint, path)
) WITHOUT ROWID;

ALTER TABLE connector_providers ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE connector_approvals ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
