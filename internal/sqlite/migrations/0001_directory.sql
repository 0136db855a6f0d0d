-- 0001: the directory (structures and their services), workers' notes on services, the change log
-- a later sync reads, and the desk's own settings.
--
-- Never edit this file once it has been released: desks have already applied it and will not run
-- it again. Change the schema with a new numbered file (0002_….sql) instead.
--
-- Every directory record is sync-ready: a UUID key, created/updated timestamps, soft deletion
-- (deleted_at NULL while live) and a change_log row written in the same transaction as the change.
-- Timestamps are RFC 3339 UTC text with milliseconds ("2026-03-01T09:30:00.000Z"), so that they
-- sort as text.

CREATE TABLE structure (
    uuid       TEXT PRIMARY KEY NOT NULL,
    di_id      TEXT NOT NULL UNIQUE,  -- data·inclusion identifier, "source--id"
    source     TEXT NOT NULL,
    origin     TEXT NOT NULL,         -- domain.Origin
    data       TEXT NOT NULL,         -- the record as data·inclusion JSON
    extra      TEXT,                  -- JSON object of the fields no standard knows; NULL when none
    hash       TEXT NOT NULL,         -- hash of data and extra: tells an unchanged record cheaply
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE service (
    uuid           TEXT PRIMARY KEY NOT NULL,
    di_id          TEXT NOT NULL UNIQUE,
    source         TEXT NOT NULL,
    structure_uuid TEXT NOT NULL REFERENCES structure (uuid),
    origin         TEXT NOT NULL,
    data           TEXT NOT NULL,
    extra          TEXT,
    hash           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);

-- The services of a structure (keeping a structure live while it has live services).
CREATE INDEX service_structure ON service (structure_uuid);

CREATE TABLE service_note (
    service_uuid TEXT PRIMARY KEY NOT NULL REFERENCES service (uuid),
    body         TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,  -- structure, service, note
    uuid       TEXT NOT NULL,  -- the record's UUID (the service's for a note)
    op         TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    changed_at TEXT NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
