-- Broadcasts to people who asked for them. Topics and districts come from the subscriptions flow
-- (flow_preferences); "all events" and followed spaces live here. Everything about a person goes with
-- them when they are erased (ON DELETE CASCADE).

CREATE TABLE follows (
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('all', 'space')),
  value text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, kind, value)
);
CREATE INDEX follows_kind_value ON follows (kind, value);

-- When a person said "stop": shown to staff as "opted out since" (no person id leaves this table).
CREATE TABLE broadcast_optouts (
  person_id text PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE broadcasts (
  id bigserial PRIMARY KEY,
  space_id text,
  created_by text NOT NULL,
  kind text NOT NULL DEFAULT 'announcement',
  event_id text,
  audience jsonb NOT NULL,
  messages jsonb NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'sending', 'done', 'cancelled')),
  scheduled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);

-- One record per (broadcast, person), written before anything is sent. A sender claims records with
-- UPDATE … WHERE status = 'pending' RETURNING, so two workers never take the same record.
CREATE TABLE broadcast_deliveries (
  id bigserial PRIMARY KEY,
  broadcast_id bigint NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  channel text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped', 'unknown')),
  external_id text,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  not_before timestamptz,
  outside_window boolean NOT NULL DEFAULT false,
  claimed_at timestamptz,
  sent_at timestamptz,
  UNIQUE (broadcast_id, person_id)
);
CREATE INDEX broadcast_deliveries_pending ON broadcast_deliveries (broadcast_id, status, id);
CREATE INDEX broadcast_deliveries_external ON broadcast_deliveries (channel, external_id);
CREATE INDEX broadcast_deliveries_window ON broadcast_deliveries (sent_at) WHERE outside_window;
