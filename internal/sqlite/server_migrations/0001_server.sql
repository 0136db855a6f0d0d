-- 0001: the central server's store (passerelle-server): sites, enrolled devices and their
-- single-use codes, the synced records with their server versions, and the curators'
-- suggestions. This file is the server's, not a desk's: it lives in its own database file and
-- its own migrations folder (server_migrations/), recorded in server_schema_migrations.
--
-- Never edit this file once it has been released: servers have already applied it and will not
-- run it again. Change the schema with a new numbered file (0002_….sql) instead.
--
-- Conventions of the desk's store: RFC 3339 UTC timestamps with milliseconds
-- ("2026-03-01T09:30:00.000Z", they sort as text), UUID keys, JSON in TEXT columns.

-- A site is one EDAS. Its name is unique, so that an administrator cannot create the same EDAS
-- twice by mistake.
CREATE TABLE site (
    id         TEXT PRIMARY KEY NOT NULL,  -- UUIDv7
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- A device is one enrolled desk, bound to one site for its whole life. The server keeps only the
-- SHA-256 of its token (hex or base64, as the caller hashes it): a stolen database gives no
-- token. last_mutation is the highest mutation id applied from it, which makes a replayed push a
-- no-op.
CREATE TABLE device (
    id            TEXT PRIMARY KEY NOT NULL,  -- UUIDv7
    site_id       TEXT NOT NULL REFERENCES site (id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,       -- every request looks the device up by it
    created_at    TEXT NOT NULL,
    revoked_at    TEXT,                       -- NULL while the device may sync
    last_seen_at  TEXT,
    last_mutation INTEGER NOT NULL DEFAULT 0 CHECK (last_mutation >= 0)
);

-- A single-use enrolment code, by the SHA-256 of the code. used_at and device_id are set
-- together, in the transaction that creates the device: they say which desk the code became.
CREATE TABLE enrolment (
    code_hash  TEXT PRIMARY KEY NOT NULL,
    site_id    TEXT NOT NULL REFERENCES site (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    device_id  TEXT REFERENCES device (id)
);

-- The current state of every synced record: the directory and the grids (site NULL: every site
-- receives them) and each site's own records. Only the latest state is kept: a pull sends each
-- record once, as it is now.
--
-- version is the server version of the record's last write: one counter for the whole server
-- (meta.version), strictly increasing, so a desk's pull cursor is a version. A deleted record
-- stays as a tombstone (deleted = 1, fields '{}', deleted_hlc the HLC of the delete) until the
-- housekeeping drops it (meta.tombstone_floor).
--
-- fields is a JSON object {"name": {"v": value, "hlc": "…"}}; conflicts a JSON array of the
-- answers kept beside the winning one (domain.AnswerConflict), NULL when there is none.
CREATE TABLE record (
    kind        TEXT NOT NULL,
    uuid        TEXT NOT NULL,
    site        TEXT REFERENCES site (id),  -- NULL: global (directory, grids)
    version     INTEGER NOT NULL UNIQUE,    -- its index serves the tombstone housekeeping
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    deleted_hlc TEXT,
    fields      TEXT NOT NULL DEFAULT '{}',
    conflicts   TEXT,
    PRIMARY KEY (kind, uuid)
);

-- The pull: a site's records above a cursor in version order, and the global ones (site IS NULL
-- uses the same index). A pull reads two ranges of this index, already in version order, and
-- merges them, rather than scanning every site's versions above the cursor.
CREATE INDEX record_scope ON record (site, version);

-- The housekeeping finds the old tombstones without reading the live records.
CREATE INDEX record_tombstone ON record (version) WHERE deleted = 1;

-- One row: the server version (the version of the last write; 0 before any) and the tombstone
-- floor: tombstones of a version below it may have been dropped, so a cursor below it (other
-- than 0) is too old and must pull again from 0.
CREATE TABLE meta (
    id              INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version         INTEGER NOT NULL CHECK (version >= 0),
    tombstone_floor INTEGER NOT NULL CHECK (tombstone_floor >= 0)
);
INSERT INTO meta (id, version, tombstone_floor) VALUES (1, 0, 0);

-- Proposed initiatives and corrections sent by desks, for the curators. uuid is the record's
-- UUID on the desk, so that a replayed push does not add it twice. service is JSON (the
-- data·inclusion record or the fields to correct).
CREATE TABLE suggestion (
    uuid       TEXT PRIMARY KEY NOT NULL,
    site_id    TEXT NOT NULL REFERENCES site (id),
    device_id  TEXT NOT NULL REFERENCES device (id),
    type       TEXT NOT NULL CHECK (type IN ('proposition', 'correction')),
    service    TEXT,
    message    TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('nouvelle', 'acceptee', 'refusee')),
    created_at TEXT NOT NULL
);

-- Curators list the suggestions of one status, oldest first.
CREATE INDEX suggestion_status ON suggestion (status, created_at);
