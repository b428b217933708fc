-- Which process claimed a job. A claim whose answer was lost (the database connection broke just
-- after the UPDATE committed) leaves the job `active` with nobody running it; the process that
-- claimed it releases it as soon as it can reach the database again, instead of after the lock.
ALTER TABLE jobs ADD COLUMN locked_by text;
