-- Schema version 1 of a City Tools store. Shipped: never edit; add a new numbered file instead.
PRAGMA application_id = 1129599793; -- 'CTS1'

CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE organisation (
    id     TEXT PRIMARY KEY,            -- scheme:code, e.g. gss:E09000007
    scheme TEXT NOT NULL,
    code   TEXT NOT NULL,
    name   TEXT NOT NULL,
    UNIQUE (scheme, code)
) STRICT;

CREATE TABLE cycle (
    id                    TEXT PRIMARY KEY,  -- e.g. 2026-27
    questionnaire_version TEXT NOT NULL
) STRICT;

CREATE TABLE survey_return (
    id              TEXT PRIMARY KEY,        -- UUID
    organisation_id TEXT NOT NULL REFERENCES organisation(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    carried_from    TEXT REFERENCES survey_return(id),
    created_at      TEXT NOT NULL,
    UNIQUE (organisation_id, cycle_id)
) STRICT;

-- One row per record per return. A record keeps its UUID when carried forward, so the key is
-- (return, id). The fields are one JSON document, versioned with the questionnaire.
CREATE TABLE record (
    return_id    TEXT NOT NULL REFERENCES survey_return(id),
    id           TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('system','contract','supplier','product','skill','gdpr','cyber')),
    data         TEXT NOT NULL CHECK (json_valid(data)),
    review_state TEXT NOT NULL CHECK (review_state IN ('to_review','confirmed','changed','new','retired')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT,
    PRIMARY KEY (return_id, id)
) STRICT;
CREATE INDEX record_by_kind ON record (return_id, kind, deleted_at);

-- Who changed what, when; before/after snapshots make every edit undoable.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('create_store','add','update','delete','restore','review','carry_forward','undo')),
    return_id TEXT REFERENCES survey_return(id),
    record_id TEXT,
    kind      TEXT,
    before    TEXT CHECK (before IS NULL OR json_valid(before)),
    after     TEXT CHECK (after IS NULL OR json_valid(after)),
    undone_by INTEGER REFERENCES audit(seq)
) STRICT;
CREATE INDEX audit_by_return ON audit (return_id, seq);
