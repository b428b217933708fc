-- Reminders go out through the broadcast delivery records (one reminder broadcast per event and
-- offset). The channel a person asked on is where their reminder goes (when it is still configured).
ALTER TABLE knowledge_reminders ADD COLUMN channel text;
CREATE INDEX knowledge_reminders_due ON knowledge_reminders (run_at) WHERE status = 'scheduled';
CREATE INDEX broadcasts_reminder ON broadcasts (event_id) WHERE kind = 'reminder';

-- Set when a claimed record's request is about to leave (after the rate limiter): after a crash, a
-- record claimed but never in flight goes back to pending; one in flight becomes 'unknown'.
ALTER TABLE broadcast_deliveries ADD COLUMN in_flight_at timestamptz;
