-- Retention (`careline purge`): closed items are found by status and the
-- time they were closed (updated_at), and their replies, notes and outbox
-- messages by item; the same indexes serve the foreign-key checks of
-- deleting an item, which otherwise read the whole child table per item.
CREATE INDEX queue_items_closed ON queue_items (status, updated_at);
CREATE INDEX replies_item ON replies (queue_item_id);
CREATE INDEX notes_item ON notes (queue_item_id);
CREATE INDEX outbox_item ON outbox (queue_item_id);
CREATE INDEX processed_updates_at ON processed_updates (at);
