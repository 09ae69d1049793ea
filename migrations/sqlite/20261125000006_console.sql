-- The staff console: accounts, sessions, claims, notes and the audit log.

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('staff', 'admin')),
    password_hash   TEXT NOT NULL,                -- argon2id PHC string
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL
);

-- Sessions by a hash of their token (the cookie holds the token itself).
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

ALTER TABLE queue_items ADD COLUMN claimed_by INTEGER REFERENCES staff(id);
ALTER TABLE queue_items ADD COLUMN claimed_at INTEGER;
ALTER TABLE queue_items ADD COLUMN outcome TEXT;
CREATE INDEX queue_items_page ON queue_items (priority DESC, created_at, id);

CREATE TABLE notes (
    id            INTEGER PRIMARY KEY,
    queue_item_id INTEGER NOT NULL REFERENCES queue_items(id),
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    text          TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Who did what to which item, when. Never message text. Append-only.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    staff_id      INTEGER REFERENCES staff(id),
    action        TEXT NOT NULL,
    queue_item_id INTEGER,
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
