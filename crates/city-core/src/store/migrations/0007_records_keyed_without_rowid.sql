-- Schema version 7: the `record` table stored in its primary key's order (`WITHOUT ROWID`), and
-- the `audit_by_return` index dropped. Shipped: never edit; add a new numbered file instead.
--
-- Why: a rowid table with a two-column primary key is two b-trees — the rows by a hidden rowid,
-- and an index (`return_id, id` → rowid) to find them — so every record written was two
-- b-tree inserts, and every read by key two lookups; the index was 12% of a 50,000-row
-- import's bytes. Stored `WITHOUT ROWID` the rows are the primary key's b-tree: the same
-- columns, CHECKs and key, one b-tree. Every read of the audit log (a return's history, the
-- newest entry to undo) is the newest entries first (`ORDER BY seq DESC LIMIT n`), which a
-- backward walk of the table by `seq` answers without the index; the index cost an entry and
-- a b-tree insert per audit entry (7% of the import's bytes).
CREATE TABLE record_v7 (
    return_id    TEXT NOT NULL REFERENCES survey_return(id),
    id           TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind = 'system' OR kind = 'contract' OR kind = 'supplier'
                                      OR kind = 'product' OR kind = 'skill' OR kind = 'gdpr'
                                      OR kind = 'cyber'),
    data         TEXT NOT NULL CHECK (substr(data, 1, 1) = '{'),
    review_state TEXT NOT NULL CHECK (review_state = 'to_review' OR review_state = 'confirmed'
                                      OR review_state = 'changed' OR review_state = 'new'
                                      OR review_state = 'retired'),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT,
    PRIMARY KEY (return_id, id)
) STRICT, WITHOUT ROWID;
INSERT INTO record_v7 (return_id, id, kind, data, review_state, created_at, updated_at, deleted_at)
    SELECT return_id, id, kind, data, review_state, created_at, updated_at, deleted_at FROM record;
DROP TABLE record;
ALTER TABLE record_v7 RENAME TO record;
DROP INDEX audit_by_return;
