-- Linking Telegram chats to verified members.

-- One-time codes staff hand to a member ("/start CODE" or a t.me deep link).
CREATE TABLE link_codes (
    code       TEXT PRIMARY KEY,
    member_id  BIGINT NOT NULL REFERENCES members(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- Which member a Telegram private chat belongs to.
CREATE TABLE telegram_links (
    chat_id   BIGINT PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES members(id),
    linked_at BIGINT NOT NULL
);
