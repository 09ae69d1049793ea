-- Several workers (threads, or Careline instances on one PostgreSQL
-- database) deliver the outbox and the chat-message deletions: a worker
-- claims a row until lease_until (Unix ms) before it calls Telegram, so no
-- other worker sends the same message meanwhile. A worker that dies
-- mid-call loses its lease when it expires and another one takes over.
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;
ALTER TABLE chat_messages ADD COLUMN lease_until BIGINT;
