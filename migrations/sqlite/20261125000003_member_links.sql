-- Linking Telegram chats to verified members.

-- One-time codes staff hand to a member ("/start CODE" or a t.me deep link).
CREATE TABLE link_codes (
    code       TEXT PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- Which member a Telegram private chat belongs to.
CREATE TABLE telegram_links (
    chat_id   INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    linked_at INTEGER NOT NULL
);
