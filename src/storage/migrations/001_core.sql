-- People, their channel addresses, conversations, messages, the event log and the job queue.
-- Channel addresses (phone numbers, chat ids) live apart from the profile so staff-facing views
-- never need to read them, and erasing a person removes them with everything else.

CREATE TABLE people (
  id text PRIMARY KEY,
  language text,
  language_source text,
  consents jsonb NOT NULL DEFAULT '{}'::jsonb,
  unreachable boolean NOT NULL DEFAULT false,
  unreachable_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  last_inbound_at timestamptz
);

CREATE TABLE channel_addresses (
  channel text NOT NULL,
  address text NOT NULL,
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, address)
);
CREATE INDEX channel_addresses_person ON channel_addresses (person_id);

CREATE TABLE conversations (
  person_id text PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  mode text NOT NULL DEFAULT 'bot' CHECK (mode IN ('bot', 'waiting', 'human')),
  state jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE messages (
  id bigserial PRIMARY KEY,
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  channel text NOT NULL,
  external_id text,
  author text NOT NULL,
  kind text NOT NULL,
  body jsonb NOT NULL,
  status text NOT NULL,
  error text,
  in_reply_to bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
CREATE UNIQUE INDEX messages_inbound_dedupe ON messages (channel, external_id) WHERE direction = 'in';
CREATE INDEX messages_outbound_external ON messages (channel, external_id) WHERE direction = 'out';
CREATE INDEX messages_person ON messages (person_id, id);
CREATE INDEX messages_unprocessed ON messages (id) WHERE direction = 'in' AND processed_at IS NULL;

-- What happened, without personal data: the insights dashboard reads only this table.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  type text NOT NULL,
  actor text,
  channel text,
  lang text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX events_type_at ON events (type, at);
CREATE INDEX events_at ON events (at);

-- The embedded queue (used when REDIS_URL is not set): jobs survive a restart.
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  priority integer NOT NULL DEFAULT 10,
  data jsonb NOT NULL,
  key text UNIQUE,
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'active', 'failed')),
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 8,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_next ON jobs (status, priority, run_at, id);
