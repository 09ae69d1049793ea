-- Ids (never text) of members' chat messages written for the draft in
-- progress. Once a draft is queued they are deleted from the chat if the
-- member asked for it (/privacy), or forgotten otherwise.
CREATE TABLE chat_messages (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    delete_due  INTEGER NOT NULL DEFAULT 0,   -- 1: delete from the chat
    done_at     INTEGER,
    UNIQUE (chat_id, message_id)
);
CREATE INDEX chat_messages_due ON chat_messages (delete_due, done_at);
