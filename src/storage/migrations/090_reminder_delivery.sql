-- Reminders go out through the broadcast delivery records (one reminder broadcast per event and
-- offset). The channel a person asked on is where their reminder goes (when it is still configured).
ALTER TABLE knowledge_reminders ADD COLUMN channel text;
CREATE INDEX knowledge_reminders_due ON knowledge_reminders (run_at) WHERE status = 'scheduled';
CREATE INDEX broadcasts_reminder ON broadcasts (event_id) WHERE kind = 'reminder';
