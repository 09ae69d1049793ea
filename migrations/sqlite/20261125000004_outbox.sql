-- Messages to members, written in the same transaction as what caused them
-- (a conversation turn, a staff reply) and delivered by a worker with
-- retries, in order per chat.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,        -- Telegram chat
    text            TEXT NOT NULL,
    buttons         TEXT NOT NULL,           -- JSON [[label, callback data], ...]
    queue_item_id   INTEGER REFERENCES queue_items(id),
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    failed_at       INTEGER,                 -- gave up (e.g. the member blocked the bot)
    error           TEXT                     -- the error kind, never message text
);
CREATE INDEX outbox_pending ON outbox (sent_at, failed_at, next_attempt_at, id);
CREATE INDEX outbox_chat ON outbox (chat_id, id);

-- Staff replies to queue items (the console writes these; so does
-- `careline queue reply`).
CREATE TABLE replies (
    id            INTEGER PRIMARY KEY,
    queue_item_id INTEGER NOT NULL REFERENCES queue_items(id),
    author        TEXT NOT NULL,
    text          TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
