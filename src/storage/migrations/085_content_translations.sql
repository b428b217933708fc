-- Machine (and hand-written) translations of content fields a language is missing: the explainer,
-- space and event texts. One row per (ref, field, lang). `source_hash` is the hash of the text it was
-- translated from: when the source is edited the row no longer matches and is ignored (translated
-- again). `rejected` rows keep the fallback chain for that source until the source changes.
CREATE TABLE content_translations (
  id bigserial PRIMARY KEY,
  ref text NOT NULL,
  field text NOT NULL,
  lang text NOT NULL,
  source_lang text NOT NULL,
  source_hash text NOT NULL,
  source_text text NOT NULL,
  text text NOT NULL,
  status text NOT NULL CHECK (status IN ('machine', 'reviewed', 'rejected')),
  created_at timestamptz NOT NULL DEFAULT now(),
  reviewed_at timestamptz,
  reviewed_by bigint,
  UNIQUE (ref, field, lang)
);
CREATE INDEX content_translations_status ON content_translations (status, lang);
