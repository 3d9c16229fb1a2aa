-- A flow's web preview link (GET /{flow-id}?fields=preview): the secret in its URL ('' until one is asked
-- for) and when it expires, in unix nanoseconds.
ALTER TABLE flows ADD COLUMN preview_token TEXT NOT NULL DEFAULT '';
ALTER TABLE flows ADD COLUMN preview_expires_at BIGINT NOT NULL DEFAULT 0;
