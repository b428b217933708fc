-- How many platform calls of a multi-part message (a place, then its text) were delivered, so a
-- retry resumes after them instead of repeating the first part.
ALTER TABLE messages ADD COLUMN parts_sent integer NOT NULL DEFAULT 0;
