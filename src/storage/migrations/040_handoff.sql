-- Staff accounts and sessions (shared by every staff page), the handoff queue, private notes,
-- canned replies and the audit log of every access to a conversation.

CREATE TABLE staff_users (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('admin', 'coordinator', 'facilitator', 'staff')),
  space_id text,
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Only a hash of the session token is stored: a leaked table cannot be replayed as cookies.
CREATE TABLE staff_sessions (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  csrf text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- Failed logins per account + address, for rate limiting across processes.
CREATE TABLE staff_login_failures (
  id bigserial PRIMARY KEY,
  rate_key text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_login_failures_key ON staff_login_failures (rate_key, at);

-- One open case per person at most; closed cases stay for the outcome figures.
CREATE TABLE handoff_cases (
  id bigserial PRIMARY KEY,
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  channel text NOT NULL,
  status text NOT NULL CHECK (status IN ('waiting', 'claimed', 'closed')),
  priority integer NOT NULL DEFAULT 0,
  reason text NOT NULL,
  note text,
  owner_id bigint REFERENCES staff_users(id) ON DELETE SET NULL,
  outcome text,
  safety_sent boolean NOT NULL DEFAULT false,
  alerted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  claimed_at timestamptz,
  closed_at timestamptz
);
CREATE UNIQUE INDEX handoff_cases_open ON handoff_cases (person_id) WHERE status <> 'closed';
CREATE INDEX handoff_cases_queue ON handoff_cases (status, priority, created_at);

CREATE TABLE handoff_notes (
  id bigserial PRIMARY KEY,
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  author_id bigint REFERENCES staff_users(id) ON DELETE SET NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handoff_notes_person ON handoff_notes (person_id, id);

-- A canned reply has one text per language: {"en": "...", "ar": "..."}.
CREATE TABLE canned_replies (
  id bigserial PRIMARY KEY,
  title text NOT NULL,
  texts jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Who did what, when, to which person id. Kept apart from the anonymous events table on purpose.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  user_id bigint,
  action text NOT NULL,
  person_id text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_person ON audit_log (person_id, at);
