-- The facilitators' inbox: how far each staff account has read each conversation (its unread
-- counts). Only ids: no message text, nothing about the person beyond the conversation's id.
CREATE TABLE inbox_reads (
  account_id bigint NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  last_read_id bigint NOT NULL,
  PRIMARY KEY (account_id, person_id)
);
