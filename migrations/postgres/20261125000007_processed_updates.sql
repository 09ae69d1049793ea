-- Telegram updates whose turn is committed: an update delivered again
-- (after a crash, or a webhook answer that was lost) is not applied twice.
CREATE TABLE processed_updates (
    update_id BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL
);
