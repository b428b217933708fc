-- A person's 👍 / 👎 reaction on one of the bot's messages (Telegram message_reaction, WhatsApp
-- reaction): one row per answer, the latest reaction wins, removing the reaction removes the row.
-- `target` is what the answer was about (`space:<id>`, `explainer:<id>`, `events`, `person`…), the
-- key the insights count by. Erasing the person or the message removes the feedback with it.
CREATE TABLE answer_feedback (
  message_id bigint PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  person_id text NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  useful boolean NOT NULL,
  target text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX answer_feedback_person ON answer_feedback (person_id);
