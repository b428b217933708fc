-- When a facilitator first answered a case (for the "time to first human reply" insight).
ALTER TABLE handoff_cases ADD COLUMN first_reply_at timestamptz;
