-- Which summary a project card has: 'template' (assembled from the answers) or 'model' (written by
-- the configured language model from the answers, checked, and marked as machine-written).
ALTER TABLE project_cards ADD COLUMN summary_kind text NOT NULL DEFAULT 'template';
