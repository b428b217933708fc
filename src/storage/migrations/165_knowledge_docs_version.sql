-- A counter that moves with every change to knowledge_docs (any insert, update, delete or truncate,
-- by any process, in the same transaction), so a search can tell in one key lookup that the documents
-- are unchanged and reuse a result it computed for the same question (src/storage/knowledge-store.ts).
CREATE TABLE knowledge_docs_version (
  id int PRIMARY KEY CHECK (id = 1),
  n bigint NOT NULL
);
INSERT INTO knowledge_docs_version (id, n) VALUES (1, 0);
CREATE FUNCTION knowledge_docs_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE knowledge_docs_version SET n = n + 1 WHERE id = 1; RETURN NULL; END $$;
CREATE TRIGGER knowledge_docs_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON knowledge_docs FOR EACH STATEMENT EXECUTE FUNCTION knowledge_docs_changed();
