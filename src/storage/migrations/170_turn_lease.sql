-- A person's turn lease (issue #17: several bot processes on one PostgreSQL). The process that holds
-- it handles the person's unprocessed inbound messages, earliest first, whichever process stored
-- them; it takes the lease in the turn's first statement and gives it back in the turn's commit.
-- `turn_lease_until` is when a holder that died stops counting; it is kept on release, so a new take
-- changes it and a taker whose snapshot predates another's turn sees that (Store.leaseTurn).
-- Embedded (PGlite, one process) never sets them.
ALTER TABLE people ADD COLUMN turn_lease text;
ALTER TABLE people ADD COLUMN turn_lease_until timestamptz;
-- (The person's earliest unprocessed message is found through messages_unprocessed, which holds only
-- the messages in flight: an index of its own would cost the embedded database a write per message.)
