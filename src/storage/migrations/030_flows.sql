-- Project cards from the incubation interview, and preferences set through flows (subscriptions).
-- Both belong to the person and go with them when they are erased (ON DELETE CASCADE).

CREATE TABLE project_cards (
  id bigserial PRIMARY KEY,
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  flow text NOT NULL,
  lang text NOT NULL,
  stage text,
  support_level integer NOT NULL CHECK (support_level BETWEEN 1 AND 3),
  answers jsonb NOT NULL,
  card_person text NOT NULL,
  card_it text NOT NULL,
  card_en text NOT NULL,
  share_consent boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_cards_person ON project_cards (person_id, updated_at DESC);

CREATE TABLE flow_preferences (
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  flow text NOT NULL,
  answers jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, flow)
);
