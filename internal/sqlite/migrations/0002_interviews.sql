-- 0002: interview grids, usager files, interviews with their answers and the suggestions ticked.
--
-- Never edit this file once it has been released: desks have already applied it and will not run
-- it again. Change the schema with a new numbered file instead.
--
-- Same conventions as 0001: UUID keys, RFC 3339 UTC timestamps with milliseconds (they sort as
-- text), soft deletion of the records a sync needs to see go, and a change_log row written in the
-- same transaction as every change.

-- A grid version is immutable once stored: content is the grid as JSON (domain.Grid), hash tells
-- an identical re-save from a conflicting one.
CREATE TABLE grid (
    id         TEXT NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    title      TEXT NOT NULL,
    content    TEXT NOT NULL,
    hash       TEXT NOT NULL,
    embedded   INTEGER NOT NULL DEFAULT 0 CHECK (embedded IN (0, 1)),  -- shipped with Passerelle
    created_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

-- The questions of each grid version, derived from content when the version is stored (and as
-- immutable): the hot path of an interview checks an answer's question and its domain's
-- sensitivity with one indexed lookup instead of decoding the grid, and the retention sweep finds
-- the free-text questions in SQL.
CREATE TABLE grid_question (
    grid_id      TEXT NOT NULL,
    grid_version INTEGER NOT NULL,
    question_id  TEXT NOT NULL,
    domain_id    TEXT NOT NULL,
    type         TEXT NOT NULL,
    sensitive    INTEGER NOT NULL CHECK (sensitive IN (0, 1)),
    position     INTEGER NOT NULL,  -- order of the question in the grid
    PRIMARY KEY (grid_id, grid_version, question_id),
    FOREIGN KEY (grid_id, grid_version) REFERENCES grid (id, version)
);

-- A usager's file: only what the work needs (CNIL référentiel 2021-028). display_key is the name
-- folded (textfold.Key: lower case, no accents, œ → oe) for the search of the list.
CREATE TABLE usager (
    uuid            TEXT PRIMARY KEY NOT NULL,
    display_name    TEXT NOT NULL,
    display_key     TEXT NOT NULL,
    birth_year      INTEGER,
    commune         TEXT NOT NULL DEFAULT '',
    household       TEXT NOT NULL DEFAULT '',
    contact         TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    consent_given   INTEGER NOT NULL DEFAULT 0 CHECK (consent_given IN (0, 1)),
    consent_at      TEXT,
    consent_text    TEXT NOT NULL DEFAULT '',
    last_contact_at TEXT NOT NULL,  -- retention runs from it: anonymised two years later
    anonymised      INTEGER NOT NULL DEFAULT 0 CHECK (anonymised IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
);

-- The list of usagers, most recent contact first, and the retention sweep (last contact before a
-- date).
CREATE INDEX usager_last_contact ON usager (last_contact_at);

CREATE TABLE interview (
    uuid           TEXT PRIMARY KEY NOT NULL,
    usager_uuid    TEXT NOT NULL REFERENCES usager (uuid),
    grid_id        TEXT NOT NULL,
    grid_version   INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('en-cours', 'termine')),
    started_at     TEXT NOT NULL,
    completed_at   TEXT,
    current_domain TEXT NOT NULL DEFAULT '',
    next_contact   TEXT,  -- YYYY-MM-DD, NULL when none is planned
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    FOREIGN KEY (grid_id, grid_version) REFERENCES grid (id, version)
);

-- A usager's interviews in order (the list's last interview, open interview and next contact).
CREATE INDEX interview_usager ON interview (usager_uuid, started_at);

-- The current answers. value is domain.AnswerValue as JSON; correction is 1 when the answer was
-- given after the interview was completed.
CREATE TABLE answer (
    interview_uuid TEXT NOT NULL REFERENCES interview (uuid),
    question_id    TEXT NOT NULL,
    value          TEXT NOT NULL,
    worker_rating  INTEGER,
    answered_at    TEXT NOT NULL,
    correction     INTEGER NOT NULL DEFAULT 0 CHECK (correction IN (0, 1)),
    PRIMARY KEY (interview_uuid, question_id)
);

-- The answers of sensitive domains (health: special-category data, GDPR art. 9), kept apart so
-- that they are read only when asked for and can be wiped, exported or encrypted on their own.
-- Same shape as answer; a question belongs to one domain, so an answer never moves between them.
CREATE TABLE answer_sensitive (
    interview_uuid TEXT NOT NULL REFERENCES interview (uuid),
    question_id    TEXT NOT NULL,
    value          TEXT NOT NULL,
    worker_rating  INTEGER,
    answered_at    TEXT NOT NULL,
    correction     INTEGER NOT NULL DEFAULT 0 CHECK (correction IN (0, 1)),
    PRIMARY KEY (interview_uuid, question_id)
);

-- The former values of answers corrected after their interview was completed.
CREATE TABLE answer_history (
    interview_uuid TEXT NOT NULL REFERENCES interview (uuid),
    question_id    TEXT NOT NULL,
    value          TEXT NOT NULL,
    worker_rating  INTEGER,
    answered_at    TEXT NOT NULL,
    replaced_at    TEXT NOT NULL,
    sensitive      INTEGER NOT NULL CHECK (sensitive IN (0, 1))
);

CREATE INDEX answer_history_interview ON answer_history (interview_uuid, replaced_at);

-- The directory services ticked among an interview's suggestions. No foreign key to service: a
-- selection synced from another desk may name a service this desk's directory does not hold.
CREATE TABLE selection (
    interview_uuid TEXT NOT NULL REFERENCES interview (uuid),
    service_uuid   TEXT NOT NULL,
    why            TEXT NOT NULL DEFAULT '',
    domain         TEXT NOT NULL DEFAULT '',
    selected_at    TEXT NOT NULL,
    PRIMARY KEY (interview_uuid, service_uuid)
);
