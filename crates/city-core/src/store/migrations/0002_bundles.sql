-- Schema version 2: bundles. Shipped: never edit; add a new numbered file instead.

-- Borough side: each bundle exported (sequence numbers are per return) and LOTI's cycle packs.
CREATE TABLE sent_bundle (
    bundle_id TEXT PRIMARY KEY,
    return_id TEXT NOT NULL REFERENCES survey_return(id),
    seq       INTEGER NOT NULL CHECK (seq > 0),
    sha256    TEXT NOT NULL,
    file_name TEXT NOT NULL,
    key_id    TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    actor     TEXT NOT NULL,
    UNIQUE (return_id, seq)
) STRICT;

CREATE TABLE cycle_pack (
    cycle_id              TEXT PRIMARY KEY,
    questionnaire_version TEXT NOT NULL,
    opens                 TEXT NOT NULL,
    closes                TEXT NOT NULL,
    recipients            TEXT NOT NULL CHECK (json_valid(recipients)),
    root_key              TEXT NOT NULL,
    imported_at           TEXT NOT NULL
) STRICT;

-- LOTI side: the keyring pins each organisation to its signing keys.
CREATE TABLE keyring (
    key_id          TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    public_key      TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
    added_at        TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    replaced_by     TEXT,
    confirmed_by    TEXT NOT NULL,
    confirmed_note  TEXT NOT NULL,
    revoked_at      TEXT,
    revoked_reason  TEXT
) STRICT;

-- Every accepted bundle: the history behind each organisation's current return.
CREATE TABLE accepted_bundle (
    bundle_id       TEXT PRIMARY KEY,
    sha256          TEXT NOT NULL UNIQUE,
    organisation_id TEXT NOT NULL REFERENCES organisation(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    seq             INTEGER NOT NULL CHECK (seq > 0),
    key_id          TEXT NOT NULL REFERENCES keyring(key_id),
    file_name       TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    received_by     TEXT NOT NULL,
    record_count    INTEGER NOT NULL,
    diff            TEXT NOT NULL CHECK (json_valid(diff)),
    bundle          BLOB NOT NULL,
    UNIQUE (organisation_id, cycle_id, seq)
) STRICT;

-- Bundles from keys LOTI does not know yet, waiting for a fingerprint confirmation.
CREATE TABLE quarantine (
    sha256               TEXT PRIMARY KEY,
    file_name            TEXT NOT NULL,
    claimed_organisation TEXT NOT NULL,
    claimed_cycle        TEXT NOT NULL,
    key_id               TEXT NOT NULL,
    public_key           TEXT NOT NULL,
    fingerprint          TEXT NOT NULL,
    received_at          TEXT NOT NULL,
    bundle               BLOB NOT NULL
) STRICT;
