-- A reviewed translation whose source text changed is replaced by a new machine translation; the
-- reviewer's text is kept here (with the source it translated) so the review page can offer it
-- again. Cleared when the row is reviewed again.
ALTER TABLE content_translations ADD COLUMN previous_text text;
ALTER TABLE content_translations ADD COLUMN previous_source_text text;
