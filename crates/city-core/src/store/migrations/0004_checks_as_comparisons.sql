-- Schema version 4: the same `record` and `audit` tables, with their CHECKs on `kind`,
-- `review_state` and `action` written as comparisons. Shipped: never edit; add a new numbered
-- file instead.
--
-- Why: SQLite evaluates `x IN ('a','b',…)` in a CHECK by building a temporary lookup table,
-- and in an INSERT it rebuilds it for every row; the two IN-lists cost more than the row's own
-- insert when LOTI merged a bundle (and the audit entry's, when a spreadsheet was imported).
-- `x = 'a' OR x = 'b' …` accepts exactly the same values.
CREATE TABLE record_v4 (
    return_id    TEXT NOT NULL REFERENCES survey_return(id),
    id           TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind = 'system' OR kind = 'contract' OR kind = 'supplier'
                                      OR kind = 'product' OR kind = 'skill' OR kind = 'gdpr'
                                      OR kind = 'cyber'),
    data         TEXT NOT NULL CHECK (json_valid(data)),
    review_state TEXT NOT NULL CHECK (review_state = 'to_review' OR review_state = 'confirmed'
                                      OR review_state = 'changed' OR review_state = 'new'
                                      OR review_state = 'retired'),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT,
    PRIMARY KEY (return_id, id)
) STRICT;
INSERT INTO record_v4 (return_id, id, kind, data, review_state, created_at, updated_at, deleted_at)
    SELECT return_id, id, kind, data, review_state, created_at, updated_at, deleted_at FROM record;
DROP TABLE record;
ALTER TABLE record_v4 RENAME TO record;
CREATE INDEX record_by_kind ON record (return_id, kind, deleted_at);

CREATE TABLE audit_v4 (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action = 'create_store' OR action = 'add' OR action = 'update'
                                   OR action = 'delete' OR action = 'restore' OR action = 'review'
                                   OR action = 'carry_forward' OR action = 'undo'),
    return_id TEXT REFERENCES survey_return(id),
    record_id TEXT,
    kind      TEXT,
    before    TEXT CHECK (before IS NULL OR json_valid(before)),
    after     TEXT CHECK (after IS NULL OR json_valid(after)),
    undone_by INTEGER REFERENCES audit_v4(seq)
) STRICT;
INSERT INTO audit_v4 (seq, at, actor, action, return_id, record_id, kind, before, after, undone_by)
    SELECT seq, at, actor, action, return_id, record_id, kind, before, after, undone_by
    FROM audit ORDER BY seq;
DROP TABLE audit;
ALTER TABLE audit_v4 RENAME TO audit;
CREATE INDEX audit_by_return ON audit (return_id, seq);
