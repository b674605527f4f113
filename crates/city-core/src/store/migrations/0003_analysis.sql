-- Schema version 3: collaboration analysis. Shipped: never edit; add a new numbered file instead.

-- An analyst's decision that two normalised supplier (or product) names are the same company
-- (confirmed) or are not (rejected). Kept across cycles: each borough's records have their own
-- ids, so decisions are about names. A later decision on the same pair supersedes the earlier.
CREATE TABLE alias_decision (
    id            TEXT PRIMARY KEY,                 -- UUID
    kind          TEXT NOT NULL CHECK (kind IN ('supplier', 'product')),
    name_a        TEXT NOT NULL,                    -- normalised; name_a < name_b
    name_b        TEXT NOT NULL,
    label_a       TEXT NOT NULL,                    -- as the analyst saw them
    label_b       TEXT NOT NULL,
    decision      TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
    cycle_id      TEXT NOT NULL,                    -- the cycle it was decided in
    decided_by    TEXT NOT NULL,
    decided_at    TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    superseded_by TEXT,                             -- the id of the decision that replaced it
    CHECK (name_a < name_b)
) STRICT;
CREATE UNIQUE INDEX alias_decision_current ON alias_decision (kind, name_a, name_b)
    WHERE superseded_by IS NULL;
