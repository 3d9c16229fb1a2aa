-- Business accounts own flows; their ids are Graph ids (numeric strings).
CREATE TABLE business_accounts (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

-- Server-wide settings: the development credentials, the download-URL signing key.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- id is the numeric Graph flow id, stored as the rowid so a GET is one B-tree lookup.
-- seq orders flows by creation for keyset paging (from 0002 on, a counter keeps it from repeating).
CREATE TABLE flows (
    id                INTEGER PRIMARY KEY,
    seq               INTEGER NOT NULL UNIQUE,
    waba_id           TEXT NOT NULL REFERENCES business_accounts (id),
    name              TEXT NOT NULL,
    status            TEXT NOT NULL,
    categories        TEXT NOT NULL,              -- comma-separated
    validation_errors TEXT NOT NULL DEFAULT '[]', -- JSON array
    json_version      TEXT NOT NULL DEFAULT '',
    data_api_version  TEXT NOT NULL DEFAULT '',
    uses_endpoint     INTEGER NOT NULL DEFAULT 0,
    endpoint_uri      TEXT NOT NULL DEFAULT '',
    application_id    TEXT NOT NULL DEFAULT '',
    asset_sha256      TEXT NOT NULL DEFAULT '',  -- '' until a flow JSON is uploaded
    asset_size        INTEGER NOT NULL DEFAULT 0,
    asset_uploaded_at INTEGER NOT NULL DEFAULT 0, -- unix nanoseconds
    created_at        INTEGER NOT NULL,           -- unix nanoseconds
    updated_at        INTEGER NOT NULL,
    UNIQUE (waba_id, name)
);

CREATE UNIQUE INDEX flows_waba_seq ON flows (waba_id, seq);

CREATE TABLE assets (
    flow_id INTEGER PRIMARY KEY REFERENCES flows (id) ON DELETE CASCADE,
    content BLOB NOT NULL
);
