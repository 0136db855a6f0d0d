-- 0003: referrals (orientations) towards directory services, grouped on referral sheets, and the
-- history of their statuses.
--
-- Never edit this file once it has been released: desks have already applied it and will not run
-- it again. Change the schema with a new numbered file instead.
--
-- Same conventions as 0001 and 0002: UUID keys, RFC 3339 UTC timestamps with milliseconds (they
-- sort as text), soft deletion, and a change_log row (kind "referral") written in the same
-- transaction as every change.

-- One referral of a person (usager_uuid, NULL for an anonymous walk-in or once the file was
-- erased or anonymised) towards one service. No foreign key to service: the directory may drop a
-- service, and a referral synced from another desk may name one this desk does not hold; the
-- referral keeps the service's name and data·inclusion id as they were. position is the
-- referral's place on its sheet (0 for the first), which prints and lists the sheet in the order
-- it was prepared even when its referrals share a creation time. follow_up_on is a YYYY-MM-DD
-- date: when to ask the person how it went.
CREATE TABLE referral (
    uuid           TEXT PRIMARY KEY NOT NULL,
    sheet_uuid     TEXT NOT NULL,
    position       INTEGER NOT NULL CHECK (position >= 0),
    usager_uuid    TEXT REFERENCES usager (uuid),
    interview_uuid TEXT REFERENCES interview (uuid),
    service_uuid   TEXT NOT NULL,
    service_name   TEXT NOT NULL,
    service_id     TEXT NOT NULL DEFAULT '',
    need           TEXT NOT NULL DEFAULT '',
    message        TEXT NOT NULL DEFAULT '',
    include_health INTEGER NOT NULL DEFAULT 0 CHECK (include_health IN (0, 1)),
    worker_name    TEXT NOT NULL DEFAULT '',
    edas           TEXT NOT NULL DEFAULT '',
    worker_phone   TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('brouillon', 'remise', 'realisee', 'non-recours', 'annulee')),
    follow_up_on   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);

-- A sheet's referrals in the order they were prepared.
CREATE INDEX referral_sheet ON referral (sheet_uuid, position);
-- A person's referrals, most recent first.
CREATE INDEX referral_usager ON referral (usager_uuid, created_at);
-- The referrals due for a follow-up: status 'remise' and follow_up_on on or before a date.
CREATE INDEX referral_due ON referral (status, follow_up_on);
-- The latest sheets: referrals walked from the most recent, in the list's very order (so that the
-- walk stops after the sheets asked for, instead of sorting every referral).
CREATE INDEX referral_created ON referral (created_at, sheet_uuid);

-- The history of a referral's statuses, seq 1 being its first status. reason is a non-recours
-- reason code (domain.NonRecoursReasons), '' otherwise; reason_text and note are free text.
CREATE TABLE referral_event (
    referral_uuid TEXT NOT NULL REFERENCES referral (uuid),
    seq           INTEGER NOT NULL CHECK (seq >= 1),
    status        TEXT NOT NULL CHECK (status IN ('brouillon', 'remise', 'realisee', 'non-recours', 'annulee')),
    at            TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    reason_text   TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (referral_uuid, seq)
);
