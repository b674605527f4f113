-- Schema version 6: the `record_by_kind` index dropped. Shipped: never edit; add a new numbered
-- file instead.
--
-- Why: every read of a return's records (`WHERE return_id = ?1 AND (?2 IS NULL OR kind = ?2)`)
-- could only use the index's first column, which the primary key's index (`return_id, id`)
-- already serves as well; the index cost an entry (about 60 bytes) and a b-tree insert per
-- record written — 7% of a 50,000-row import's bytes. Tables, keys and every other index are
-- as in schema 5; record texts written from schema 6 on leave out empty fields (`null`, `[]`,
-- `{}`), which read back as the same record (older full texts still read as before).
DROP INDEX record_by_kind;
