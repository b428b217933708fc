-- Knowledge: imported spaces and events, the search documents the offline retrieval reads,
-- reminders people asked for, and the questions the bot could not answer (knowledge gaps).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- The last accepted import. `data` is the parsed, validated record (see src/knowledge/content.ts).
CREATE TABLE knowledge_spaces (
  id text PRIMARY KEY,
  data jsonb NOT NULL
);

CREATE TABLE knowledge_events (
  id text PRIMARY KEY,
  space_id text NOT NULL REFERENCES knowledge_spaces(id),
  start_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX knowledge_events_start ON knowledge_events (start_at);

CREATE TABLE knowledge_meta (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per searchable text: an explainer title / text / paraphrase in one language, a space's
-- name, district or description. `ref` is what a match points to: explainer:<id>, space:<id>.
-- `tokens` is built by the app (normalizeForMatch + Intl.Segmenter), so every script is split the
-- same way on PGlite and PostgreSQL whatever the server's locale.
CREATE TABLE knowledge_docs (
  id serial PRIMARY KEY,
  ref text NOT NULL,
  lang text NOT NULL,
  kind text NOT NULL,
  body text NOT NULL,
  tokens tsvector NOT NULL
);
CREATE INDEX knowledge_docs_tokens ON knowledge_docs USING gin (tokens);
CREATE INDEX knowledge_docs_body_trgm ON knowledge_docs USING gin (body gin_trgm_ops);

CREATE TABLE knowledge_reminders (
  id bigserial PRIMARY KEY,
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  event_id text NOT NULL,
  offset_name text NOT NULL,
  run_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (person_id, event_id, offset_name)
);

-- Questions without a confident answer, for the coordinators. Normalized text with phone numbers,
-- emails and long digit runs removed; no person id.
CREATE TABLE knowledge_gaps (
  id bigserial PRIMARY KEY,
  lang text NOT NULL,
  text_normalized text NOT NULL,
  count integer NOT NULL DEFAULT 1,
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  handled boolean NOT NULL DEFAULT false,
  UNIQUE (lang, text_normalized)
);
