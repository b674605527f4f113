-- Schema version 5: the same `record` and `audit` tables, without SQLite parsing every JSON
-- text they are given. Shipped: never edit; add a new numbered file instead.
--
-- Why: `CHECK (json_valid(data))` (and on the audit entry's snapshots) made SQLite parse each
-- record's JSON once more on every insert and update — a tenth of the work of importing a
-- register, paid twice for each new record. Every text these columns hold is written by the
-- store from a typed record (serde_json), and every read parses it and reports a corrupt row
-- by its table and id; the CHECKs now ask only that the text is a JSON object (`{…}`), which
-- costs nothing. Every other CHECK, key and index is as in schema 4.
CREATE TABLE record_v5 (
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
) STRICT;
INSERT INTO record_v5 (return_id, id, kind, data, review_state, created_at, updated_at, deleted_at)
    SELECT return_id, id, kind, data, review_state, created_at, updated_at, deleted_at FROM record;
DROP TABLE record;
ALTER TABLE record_v5 RENAME TO record;
CREATE INDEX record_by_kind ON record (return_id, kind, deleted_at);

CREATE TABLE audit_v5 (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action = 'create_store' OR action = 'add' OR action = 'update'
                                   OR action = 'delete' OR action = 'restore' OR action = 'review'
                                   OR action = 'carry_forward' OR action = 'undo'),
    return_id TEXT REFERENCES survey_return(id),
    record_id TEXT,
    kind      TEXT,
    before    TEXT CHECK (before IS NULL OR substr(before, 1, 1) = '{'),
    after     TEXT CHECK (after IS NULL OR substr(after, 1, 1) = '{'),
    undone_by INTEGER REFERENCES audit_v5(seq)
) STRICT;
INSERT INTO audit_v5 (seq, at, actor, action, return_id, record_id, kind, before, after, undone_by)
    SELECT seq, at, actor, action, return_id, record_id, kind, before, after, undone_by
    FROM audit ORDER BY seq;
DROP TABLE audit;
ALTER TABLE audit_v5 RENAME TO audit;
CREATE INDEX audit_by_return ON audit (return_id, seq);
