-- Insights: indexes for the dashboard's aggregates, the gap table the knowledge feature owns (created
-- here only if that feature has not created it yet, with exactly its columns), and the coordinators'
-- review of gaps (which gap's free text was cleared for display below the small-group threshold).

CREATE TABLE IF NOT EXISTS knowledge_gaps (
  id text PRIMARY KEY,
  lang text NOT NULL,
  text_normalized text NOT NULL,
  count integer NOT NULL DEFAULT 1,
  first_at timestamptz NOT NULL DEFAULT now(),
  last_at timestamptz NOT NULL DEFAULT now(),
  handled boolean NOT NULL DEFAULT false
);

CREATE TABLE insights_gap_reviews (
  gap_id text PRIMARY KEY,
  cleared boolean NOT NULL DEFAULT false,
  reviewed_at timestamptz NOT NULL DEFAULT now()
);

-- The period scans read (type, at) and then actor, channel, lang: covering them avoids heap lookups.
CREATE INDEX IF NOT EXISTS events_type_at_cover ON events (type, at) INCLUDE (actor, channel, lang);
CREATE INDEX IF NOT EXISTS events_gap ON events ((data->>'gapId')) WHERE type = 'knowledge_gap';
