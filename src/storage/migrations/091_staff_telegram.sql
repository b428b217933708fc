-- Staff on Telegram. A one-time code from the portal (only its SHA-256 is stored; 10 minutes; used
-- once) links a staff account to the chat person who sends it. The link names the pseudonymous person
-- id, never a Telegram address; it goes when either side is deleted or staff unlink it in the portal.
CREATE TABLE staff_link_codes (
  code_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_link_codes_user ON staff_link_codes (user_id);

CREATE TABLE staff_chat_links (
  user_id bigint PRIMARY KEY REFERENCES staff_users(id) ON DELETE CASCADE,
  person_id text NOT NULL UNIQUE REFERENCES people(id) ON DELETE CASCADE,
  linked_at timestamptz NOT NULL DEFAULT now()
);
