-- 0004: the desk's side of sync (docs/sync-protocol.md): what the desk knows of every synced
-- record (its fields with their HLCs, its tombstone), the outbox of local changes waiting for the
-- server, the changes the server refused, and the marks that tie the change log to the outbox.
--
-- Never edit this file once it has been released: desks have already applied it and will not run
-- it again. Change the schema with a new numbered file instead.
--
-- Settings of the enrolment (server, device, site, token, cursor…) live in meta, under "sync.*".

-- One row per synced record the desk knows, pulled or written here. deleted is the HLC of its
-- tombstone (NULL while live): deletes win, a tombstone never comes back to life. version is the
-- server version of the state last pulled (0 before any pull). conflicts (answers only) is the
-- JSON array of domain.AnswerConflict the server keeps beside the winning answer. pending is 1
-- while a pulled record waits for its parent (an interview pulled before its usager: foreign keys
-- are on), 2 when it could not be written into the desk's tables at all; its fields are kept here
-- and it is written when a later pull makes that possible. seen is 0 for the records a full
-- resync has not yet pulled again.
CREATE TABLE sync_record (
    kind      TEXT NOT NULL,
    uuid      TEXT NOT NULL,
    deleted   TEXT,
    version   INTEGER NOT NULL DEFAULT 0,
    conflicts TEXT,
    pending   INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1, 2)),
    seen      INTEGER NOT NULL DEFAULT 1 CHECK (seen IN (0, 1)),
    PRIMARY KEY (kind, uuid)
) WITHOUT ROWID;

-- The records waiting for their parent, retried at the end of every pull, and those a resync did
-- not see: both small partial indexes, empty most of the time.
CREATE INDEX sync_record_pending ON sync_record (kind, uuid) WHERE pending = 1;
CREATE INDEX sync_record_unseen ON sync_record (kind, uuid) WHERE seen = 0;

-- The last known value of every synced field of the work with the HLC of its last write (local
-- or pulled): a local change is the difference between a record's row and these values. value is
-- JSON. The directory's records and the grids are the server's alone, never pushed and written
-- whole: they have rows here only while they wait to be written into their own tables (pending),
-- holding their values until then.
CREATE TABLE sync_field (
    kind  TEXT NOT NULL,
    uuid  TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT,
    hlc   TEXT NOT NULL,
    PRIMARY KEY (kind, uuid, field)
) WITHOUT ROWID;

-- The outbox: local changes in the order they were made, written in the same transaction as the
-- change. AUTOINCREMENT never reuses an id, and rows are only removed from the start (what the
-- server acknowledged), so ids follow each other without gaps; the device's mutation id is id
-- minus the offset kept in meta (sync.outbox_offset), so that a newly enrolled device numbers
-- from 1. fields is the JSON object of the fields written (NULL for a delete); base, for an
-- answer, the HLC of the answer it replaced.
CREATE TABLE sync_outbox (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind   TEXT NOT NULL,
    uuid   TEXT NOT NULL,
    op     TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    hlc    TEXT NOT NULL,
    fields TEXT,
    base   TEXT NOT NULL DEFAULT ''
);

-- Is a change of this record waiting? (a resync keeps those records).
CREATE INDEX sync_outbox_record ON sync_outbox (kind, uuid);

-- Local changes the server refused, with its reason (French), for the worker to see.
CREATE TABLE sync_rejection (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind   TEXT NOT NULL,
    uuid   TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);

-- The records of the work a transaction changed, marked by the trigger below from the change-log
-- rows every write already makes, and turned into outbox mutations by the store before the
-- transaction commits. The trigger catches the bulk writes (erasing a file, the retention sweep)
-- as surely as the single ones; a mark left by a write that did not turn it (there is none) is
-- turned by the next one, still in order.
CREATE TABLE sync_dirty (
    kind TEXT NOT NULL,
    uuid TEXT NOT NULL,
    PRIMARY KEY (kind, uuid)
) WITHOUT ROWID;

CREATE TRIGGER sync_dirty_mark AFTER INSERT ON change_log
WHEN NEW.kind IN ('usager', 'interview', 'answer', 'selection', 'referral')
BEGIN
    INSERT OR IGNORE INTO sync_dirty (kind, uuid) VALUES (NEW.kind, NEW.uuid);
END;

-- The uuid of each step of a referral's history (a synced record of kind referral_event, whose
-- uuid must be a plain UUID): a UUIDv7 given the first time the step is synced, so that two desks
-- adding a step to the same referral offline never give theirs the same identity.
CREATE TABLE sync_event (
    uuid          TEXT PRIMARY KEY NOT NULL,
    referral_uuid TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    UNIQUE (referral_uuid, seq)
);
