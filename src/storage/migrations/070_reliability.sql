-- When a send claimed an outbound message: a claim older than a few minutes belongs to a send that
-- a fault interrupted (the database went away mid-send), and the sweep puts the message back.
ALTER TABLE messages ADD COLUMN claimed_at timestamptz;
