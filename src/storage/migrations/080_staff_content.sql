-- Staff edits to the knowledge content, kept apart from the CSV import so a re-import never loses
-- them and is never blocked by them. The knowledge base overlays these on the imported content.
-- No foreign key to knowledge_spaces: an import replaces that table (a space missing from a new
-- import simply hides its edits and events until it comes back).

-- Overrides of a space card's editable fields (hours, services, languages, price note, descriptions).
CREATE TABLE space_edits (
  space_id text PRIMARY KEY,
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);

-- Events staff create in the portal (or through the bot). Public ids are `s.<id>`: a dot never
-- appears in a CSV id (slugs), so the two never collide.
CREATE TABLE staff_events (
  id bigserial PRIMARY KEY,
  space_id text NOT NULL,
  start_at timestamptz NOT NULL,
  data jsonb NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_events_space ON staff_events (space_id, start_at);
