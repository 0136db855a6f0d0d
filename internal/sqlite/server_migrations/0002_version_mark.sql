-- 0002: version marks, for the tombstone housekeeping of passerelle-server.
--
-- Never edit this file once it has been released (see 0001).
--
-- A tombstone may be dropped once it is older than --tombstone-days, and the tombstone floor
-- (meta.tombstone_floor) must then stay at or below the cursor of every desk that synced within
-- that time. A cursor is a server version, and versions carry no time: the housekeeping records
-- now and then the server's version with the time (a mark), and the version of the latest mark
-- older than the retention is the floor it may raise to.
CREATE TABLE version_mark (
    at      TEXT PRIMARY KEY NOT NULL,  -- RFC 3339 UTC with milliseconds: sorts as text
    version INTEGER NOT NULL CHECK (version >= 0)
);
