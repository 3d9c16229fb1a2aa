-- seq must never repeat, even after the newest flow is deleted, or an old paging cursor would name a
-- new flow: it now comes from a counter that only grows.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) SELECT 'flow_seq', coalesce(max(seq), 0) FROM flows;
