-- Who asked each knowledge gap, for erasure only: "delete my data" (and retention) takes back the
-- person's asks, and a gap only they asked is deleted with them. Never shown to anyone; the
-- dashboard counts people from the anonymous event log.
CREATE TABLE knowledge_gap_people (
  gap_id bigint NOT NULL REFERENCES knowledge_gaps(id) ON DELETE CASCADE,
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  asks integer NOT NULL DEFAULT 1,
  PRIMARY KEY (gap_id, person_id)
);
CREATE INDEX knowledge_gap_people_person ON knowledge_gap_people (person_id);
