-- Careline's portal schema (SQLite). Times are Unix milliseconds (UTC).

-- Offices: where recipients work, their phone number and hours.
CREATE TABLE offices (
    id                 INTEGER PRIMARY KEY,
    key                TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    phone              TEXT NOT NULL,
    time_zone          TEXT NOT NULL,
    opens              TEXT NOT NULL,              -- HH:MM local
    closes             TEXT NOT NULL,              -- HH:MM local, 24:00 = midnight
    days               TEXT NOT NULL,              -- digits 1 (Mon) .. 7 (Sun)
    reply_within_hours INTEGER NOT NULL DEFAULT 16, -- business hours
    advice_line        INTEGER NOT NULL DEFAULT 0   -- 1: the 24/7 advice nurse
);

-- Days an office (or, with office_id NULL, every office) is closed.
CREATE TABLE holidays (
    id        INTEGER PRIMARY KEY,
    office_id INTEGER REFERENCES offices(id),
    day       TEXT NOT NULL,                       -- YYYY-MM-DD
    name      TEXT NOT NULL
);
CREATE UNIQUE INDEX holidays_office_day ON holidays (COALESCE(office_id, 0), day);

-- Recipients: doctors (on a member's care team) and departments (everyone's).
CREATE TABLE recipients (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    role      TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('doctor', 'department')),
    office_id INTEGER NOT NULL REFERENCES offices(id),
    position  INTEGER NOT NULL DEFAULT 0,
    active    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    member_number TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE care_team (
    member_id    INTEGER NOT NULL REFERENCES members(id),
    recipient_id INTEGER NOT NULL REFERENCES recipients(id),
    PRIMARY KEY (member_id, recipient_id)
);

-- One row per chat (e.g. 'terminal:local', 'telegram:12345'): the
-- conversation state as JSON, with a version for optimistic updates.
CREATE TABLE conversations (
    chat_key   TEXT PRIMARY KEY,
    member_id  INTEGER REFERENCES members(id),
    state      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The portal queue. idempotency_key = chat + draft number: committing the
-- same draft twice finds the first row.
CREATE TABLE queue_items (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    draft_no        INTEGER NOT NULL,
    member_id       INTEGER NOT NULL REFERENCES members(id),
    chat_key        TEXT NOT NULL,
    recipient_id    INTEGER NOT NULL REFERENCES recipients(id),
    kind            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    details         TEXT NOT NULL,
    priority        INTEGER NOT NULL,              -- 0 normal, 1 high, 2 safety
    safety_level    TEXT,                          -- the strongest flag, if any
    safety_rules    TEXT,                          -- rule ids, comma-separated
    status          TEXT NOT NULL DEFAULT 'new',
    created_at      INTEGER NOT NULL,
    due_at          INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX queue_items_work ON queue_items (status, priority DESC, created_at);
CREATE INDEX queue_items_member ON queue_items (member_id, created_at DESC);
CREATE INDEX queue_items_chat ON queue_items (chat_key, draft_no);

-- Safety events: who saw which warning and what they did. Never any text.
CREATE TABLE safety_events (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    member_id INTEGER REFERENCES members(id),
    chat_key  TEXT NOT NULL,
    level     TEXT NOT NULL,
    rules     TEXT NOT NULL,
    outcome   TEXT NOT NULL
);
CREATE INDEX safety_events_at ON safety_events (at);
