-- citytools schema, version 1: LOTI's returns of a cycle as the committee workbook shows them.
-- Written by City Tools from its questionnaire and workbook sheets (publish/postgres/schema.rs);
-- applied once, in the transaction of the first publication. Never edit: add a migration.

CREATE SCHEMA citytools;
COMMENT ON SCHEMA citytools IS 'City Tools: LOTI''s published returns and their analysis, one publication per cycle';

CREATE TABLE citytools.schema_migration (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE citytools.schema_migration IS 'The migrations applied to this schema; a database of a newer version than City Tools knows is refused untouched';
COMMENT ON COLUMN citytools.schema_migration.version IS 'The migration''s number';
COMMENT ON COLUMN citytools.schema_migration.name IS 'The migration''s file name';
COMMENT ON COLUMN citytools.schema_migration.applied_at IS 'When it was applied';

CREATE TABLE citytools.publication (
    "cycle" text NOT NULL,
    "published_at" timestamptz NOT NULL,
    "profile" text NOT NULL,
    "marking" text NOT NULL,
    "source" text NOT NULL,
    "source_hash" text NOT NULL,
    "organisations" bigint NOT NULL,
    "made_by" text NOT NULL,
    PRIMARY KEY (cycle)
);
COMMENT ON TABLE citytools.publication IS 'One row per cycle published: when, with which profile, from which store, and the hash of what was written (a publication of the same content again changes nothing)';
COMMENT ON COLUMN citytools.publication."cycle" IS 'The return cycle, such as 2026-27';
COMMENT ON COLUMN citytools.publication."published_at" IS 'When this content was published';
COMMENT ON COLUMN citytools.publication."profile" IS 'Who the publication is for: full, committee or open';
COMMENT ON COLUMN citytools.publication."marking" IS 'Its protective marking: OFFICIAL or OFFICIAL-SENSITIVE';
COMMENT ON COLUMN citytools.publication."source" IS 'The file it was published from (LOTI''s central store or a returns file), by name';
COMMENT ON COLUMN citytools.publication."source_hash" IS 'SHA-256 of the rows published (every table''s, in order), with the profile';
COMMENT ON COLUMN citytools.publication."organisations" IS 'Organisations with a return in the cycle';
COMMENT ON COLUMN citytools.publication."made_by" IS 'The City Tools version that published it';

CREATE TABLE citytools.organisation (
    "id" text NOT NULL,
    "scheme" text NOT NULL,
    "code" text NOT NULL,
    "name" text NOT NULL,
    PRIMARY KEY (id)
);
COMMENT ON TABLE citytools.organisation IS 'Every organisation any publication names (shared by the cycles)';
COMMENT ON COLUMN citytools.organisation."id" IS 'The organisation''s id: scheme and code, such as gss:E09000007';
COMMENT ON COLUMN citytools.organisation."scheme" IS 'The code''s scheme: gss (ONS GSS codes) or another';
COMMENT ON COLUMN citytools.organisation."code" IS 'The organisation''s code in its scheme';
COMMENT ON COLUMN citytools.organisation."name" IS 'The organisation''s name';

CREATE TABLE citytools.organisation_return (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "received" boolean NOT NULL,
    "received_at" timestamptz,
    "sequence" bigint,
    "signer_key_id" text,
    "validated" boolean,
    "records" bigint,
    "waiting_in_quarantine" boolean,
    PRIMARY KEY (cycle, organisation),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE,
    FOREIGN KEY (organisation) REFERENCES citytools.organisation
);
COMMENT ON TABLE citytools.organisation_return IS 'Returns status: one row per organisation expected or with a return in the cycle, with the bundle its current return came from';
COMMENT ON COLUMN citytools.organisation_return."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.organisation_return."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.organisation_return."received" IS 'Whether LOTI holds a return from it for the cycle';
COMMENT ON COLUMN citytools.organisation_return."received_at" IS 'When its current return''s bundle was accepted';
COMMENT ON COLUMN citytools.organisation_return."sequence" IS 'The bundle''s sequence number (each new bundle of an organisation counts up)';
COMMENT ON COLUMN citytools.organisation_return."signer_key_id" IS 'The id of the key that signed the bundle';
COMMENT ON COLUMN citytools.organisation_return."validated" IS 'Whether the return passed validation';
COMMENT ON COLUMN citytools.organisation_return."records" IS 'Records in the return';
COMMENT ON COLUMN citytools.organisation_return."waiting_in_quarantine" IS 'Whether a bundle from it waits in quarantine (an unconfirmed key)';

CREATE TABLE citytools.supplier_group (
    "cycle" text NOT NULL,
    "key" text NOT NULL,
    "name" text NOT NULL,
    "companies_house" text,
    "ppon" text,
    "spellings" text,
    "organisations" bigint NOT NULL,
    "matched_by" text,
    PRIMARY KEY (cycle, key),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.supplier_group IS 'Suppliers as matched across organisations (by Companies House number or PPON, name, listed or confirmed alias): one row per supplier however many organisations report it';
COMMENT ON COLUMN citytools.supplier_group."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.supplier_group."key" IS 'Stable key: ch:01628868, ppon:PMZV-7732-XXTT or name:civica';
COMMENT ON COLUMN citytools.supplier_group."name" IS 'The spelling most organisations use';
COMMENT ON COLUMN citytools.supplier_group."companies_house" IS 'Companies House numbers seen (separated by "; ")';
COMMENT ON COLUMN citytools.supplier_group."ppon" IS 'PPONs seen (separated by "; ")';
COMMENT ON COLUMN citytools.supplier_group."spellings" IS 'Every spelling seen (separated by "; ")';
COMMENT ON COLUMN citytools.supplier_group."organisations" IS 'Organisations that report it';
COMMENT ON COLUMN citytools.supplier_group."matched_by" IS 'Why the records were put together (separated by "; ")';

CREATE TABLE citytools.product_group (
    "cycle" text NOT NULL,
    "key" text NOT NULL,
    "name" text NOT NULL,
    "supplier_group" text,
    "spellings" text,
    "organisations" bigint NOT NULL,
    "matched_by" text,
    PRIMARY KEY (cycle, key),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE,
    FOREIGN KEY (cycle, supplier_group) REFERENCES citytools.supplier_group (cycle, key)
);
COMMENT ON TABLE citytools.product_group IS 'Products as matched across organisations: one row per product however many organisations use it';
COMMENT ON COLUMN citytools.product_group."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.product_group."key" IS 'Stable key, such as product:civica app';
COMMENT ON COLUMN citytools.product_group."name" IS 'The spelling most organisations use';
COMMENT ON COLUMN citytools.product_group."supplier_group" IS 'Its manufacturer, where the records name one (supplier_group.key)';
COMMENT ON COLUMN citytools.product_group."spellings" IS 'Every spelling seen (separated by "; ")';
COMMENT ON COLUMN citytools.product_group."organisations" IS 'Organisations that report it';
COMMENT ON COLUMN citytools.product_group."matched_by" IS 'Why the records were put together (separated by "; ")';

CREATE TABLE citytools.supplier (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "id" uuid NOT NULL,
    "name" text,
    "companies_house" text,
    "ppon" text,
    "no_uk_identifier" boolean,
    "sme" boolean,
    "aliases" text,
    "notes" text,
    "supplier_group" text,
    PRIMARY KEY (cycle, organisation, id),
    FOREIGN KEY (cycle, organisation) REFERENCES citytools.organisation_return ON DELETE CASCADE,
    FOREIGN KEY (cycle, supplier_group) REFERENCES citytools.supplier_group (cycle, key)
);
COMMENT ON TABLE citytools.supplier IS 'Suppliers: one row per record in an organisation''s current return for the cycle. Fields a profile leaves out are empty';
COMMENT ON COLUMN citytools.supplier."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.supplier."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.supplier."id" IS 'The record''s id; it stays the same from cycle to cycle';
COMMENT ON COLUMN citytools.supplier."name" IS 'Supplier name';
COMMENT ON COLUMN citytools.supplier."companies_house" IS 'Companies House number. 8 characters, for example 01234567';
COMMENT ON COLUMN citytools.supplier."ppon" IS 'PPON. Procurement Act organisation number, for example PMZV-7732-XXTT';
COMMENT ON COLUMN citytools.supplier."no_uk_identifier" IS 'Has no UK identifier. For example an overseas company or a sole trader';
COMMENT ON COLUMN citytools.supplier."sme" IS 'Small or medium-sized enterprise';
COMMENT ON COLUMN citytools.supplier."aliases" IS 'Other names. Spellings seen in registers (separated by "; ")';
COMMENT ON COLUMN citytools.supplier."notes" IS 'Notes';
COMMENT ON COLUMN citytools.supplier."supplier_group" IS 'The supplier as matched across organisations (supplier_group.key)';

CREATE TABLE citytools.product (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "id" uuid NOT NULL,
    "name" text,
    "supplier_id" uuid,
    "notes" text,
    "product_group" text,
    PRIMARY KEY (cycle, organisation, id),
    FOREIGN KEY (cycle, organisation) REFERENCES citytools.organisation_return ON DELETE CASCADE,
    FOREIGN KEY (cycle, organisation, supplier_id) REFERENCES citytools.supplier (cycle, organisation, id),
    FOREIGN KEY (cycle, product_group) REFERENCES citytools.product_group (cycle, key)
);
COMMENT ON TABLE citytools.product IS 'Products: one row per record in an organisation''s current return for the cycle. Fields a profile leaves out are empty';
COMMENT ON COLUMN citytools.product."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.product."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.product."id" IS 'The record''s id; it stays the same from cycle to cycle';
COMMENT ON COLUMN citytools.product."name" IS 'Product name';
COMMENT ON COLUMN citytools.product."supplier_id" IS 'Made by (the Supplier''s id)';
COMMENT ON COLUMN citytools.product."notes" IS 'Notes';
COMMENT ON COLUMN citytools.product."product_group" IS 'The product as matched across organisations (product_group.key)';

CREATE TABLE citytools.system (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "id" uuid NOT NULL,
    "name" text,
    "description" text,
    "product_id" uuid,
    "supplier_id" uuid,
    "service_area" text,
    "lgsl_code" bigint,
    "category" text,
    "hosting" text,
    "users" bigint,
    "criticality" text,
    "support_status" text,
    "end_of_support" date,
    "satisfaction" text,
    "personal_data" boolean,
    "special_category_data" boolean,
    "gdpr_ropa_entry" boolean,
    "gdpr_lawful_basis" text,
    "gdpr_special_category_condition" text,
    "gdpr_dpia_status" text,
    "gdpr_art28_terms" text,
    "gdpr_transfers" text,
    "gdpr_data_location" text,
    "notes" text,
    PRIMARY KEY (cycle, organisation, id),
    FOREIGN KEY (cycle, organisation) REFERENCES citytools.organisation_return ON DELETE CASCADE,
    FOREIGN KEY (cycle, organisation, product_id) REFERENCES citytools.product (cycle, organisation, id),
    FOREIGN KEY (cycle, organisation, supplier_id) REFERENCES citytools.supplier (cycle, organisation, id)
);
COMMENT ON TABLE citytools.system IS 'Systems: one row per record in an organisation''s current return for the cycle. Fields a profile leaves out are empty';
COMMENT ON COLUMN citytools.system."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.system."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.system."id" IS 'The record''s id; it stays the same from cycle to cycle';
COMMENT ON COLUMN citytools.system."name" IS 'System name. As your staff know it, for example ''Mosaic'' or ''Civica APP''';
COMMENT ON COLUMN citytools.system."description" IS 'What it is used for';
COMMENT ON COLUMN citytools.system."product_id" IS 'Product. Choose from your products, or add the product first (the Product''s id)';
COMMENT ON COLUMN citytools.system."supplier_id" IS 'Supplier. Who you buy it from (the Supplier''s id)';
COMMENT ON COLUMN citytools.system."service_area" IS 'Service area. The service it mainly supports (the option''s label)';
COMMENT ON COLUMN citytools.system."lgsl_code" IS 'LGSL code (optional). The Local Government Service List number, if you know it';
COMMENT ON COLUMN citytools.system."category" IS 'Frontline, corporate or infrastructure (the option''s label)';
COMMENT ON COLUMN citytools.system."hosting" IS 'Where it is hosted (the option''s label)';
COMMENT ON COLUMN citytools.system."users" IS 'Number of users. Roughly';
COMMENT ON COLUMN citytools.system."criticality" IS 'How critical it is (the option''s label)';
COMMENT ON COLUMN citytools.system."support_status" IS 'Support status. Of the version you run (the option''s label)';
COMMENT ON COLUMN citytools.system."end_of_support" IS 'End of support. When the supplier stops supporting your version';
COMMENT ON COLUMN citytools.system."satisfaction" IS 'Satisfaction. How well it meets your needs (the option''s label)';
COMMENT ON COLUMN citytools.system."personal_data" IS 'Holds personal data';
COMMENT ON COLUMN citytools.system."special_category_data" IS 'Holds special category data. Health, ethnicity, religion and so on';
COMMENT ON COLUMN citytools.system."gdpr_ropa_entry" IS 'In the record of processing. Article 30';
COMMENT ON COLUMN citytools.system."gdpr_lawful_basis" IS 'Lawful basis. Article 6(1) (the option''s label)';
COMMENT ON COLUMN citytools.system."gdpr_special_category_condition" IS 'Article 9 condition. For special category data';
COMMENT ON COLUMN citytools.system."gdpr_dpia_status" IS 'DPIA. Data protection impact assessment (the option''s label)';
COMMENT ON COLUMN citytools.system."gdpr_art28_terms" IS 'Article 28 terms in the processor contract (the option''s label)';
COMMENT ON COLUMN citytools.system."gdpr_transfers" IS 'Transfers outside the UK (the option''s label)';
COMMENT ON COLUMN citytools.system."gdpr_data_location" IS 'Where the data is held. For example ''UK (London)''';
COMMENT ON COLUMN citytools.system."notes" IS 'Notes';

CREATE TABLE citytools.system_security (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "system_id" uuid NOT NULL,
    "internet_facing" boolean,
    "mfa" text,
    "patched_within_14_days" boolean,
    "backups" text,
    "last_restore_test" date,
    "known_vulnerabilities" text,
    PRIMARY KEY (cycle, organisation, system_id),
    FOREIGN KEY (cycle, organisation, system_id) REFERENCES citytools.system (cycle, organisation, id) ON DELETE CASCADE
);
COMMENT ON TABLE citytools.system_security IS 'OFFICIAL-SENSITIVE: the System''s sensitive answers. Written only by a publication with the full profile; empty otherwise';
COMMENT ON COLUMN citytools.system_security."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.system_security."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.system_security."system_id" IS 'The System (system.id)';
COMMENT ON COLUMN citytools.system_security."internet_facing" IS 'Internet-facing. Reachable from the internet';
COMMENT ON COLUMN citytools.system_security."mfa" IS 'Multi-factor authentication (the option''s label)';
COMMENT ON COLUMN citytools.system_security."patched_within_14_days" IS 'High and critical fixes within 14 days';
COMMENT ON COLUMN citytools.system_security."backups" IS 'Backups (the option''s label)';
COMMENT ON COLUMN citytools.system_security."last_restore_test" IS 'Last restore test. When a restore from backup was last tested';
COMMENT ON COLUMN citytools.system_security."known_vulnerabilities" IS 'Known unfixed vulnerabilities. Kept out of open exports';

CREATE TABLE citytools.system_caf (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "system_id" uuid NOT NULL,
    "key" text NOT NULL,
    "key_label" text,
    "rating" text,
    PRIMARY KEY (cycle, organisation, system_id, key),
    FOREIGN KEY (cycle, organisation, system_id) REFERENCES citytools.system (cycle, organisation, id) ON DELETE CASCADE
);
COMMENT ON TABLE citytools.system_caf IS 'OFFICIAL-SENSITIVE: System: CAF objectives B and C, one row per CAF contributing outcome rated. Written only by a publication with the full profile';
COMMENT ON COLUMN citytools.system_caf."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.system_caf."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.system_caf."system_id" IS 'The System (system.id)';
COMMENT ON COLUMN citytools.system_caf."key" IS 'What is rated: its id';
COMMENT ON COLUMN citytools.system_caf."key_label" IS 'What is rated: its label';
COMMENT ON COLUMN citytools.system_caf."rating" IS 'The rating (its label)';

CREATE TABLE citytools.contract (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "id" uuid NOT NULL,
    "title" text,
    "reference" text,
    "supplier_id" uuid,
    "start_date" date,
    "end_date" date,
    "latest_end_date" date,
    "rolling" boolean,
    "notice_period_days" bigint,
    "auto_renews" boolean,
    "annual_value_pence" bigint,
    "total_value_pence" bigint,
    "procurement_route" text,
    "framework_ref" text,
    "notes" text,
    "decision_date" date,
    "days_to_decision" bigint,
    PRIMARY KEY (cycle, organisation, id),
    FOREIGN KEY (cycle, organisation) REFERENCES citytools.organisation_return ON DELETE CASCADE,
    FOREIGN KEY (cycle, organisation, supplier_id) REFERENCES citytools.supplier (cycle, organisation, id)
);
COMMENT ON TABLE citytools.contract IS 'Contracts: one row per record in an organisation''s current return for the cycle. Fields a profile leaves out are empty';
COMMENT ON COLUMN citytools.contract."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.contract."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.contract."id" IS 'The record''s id; it stays the same from cycle to cycle';
COMMENT ON COLUMN citytools.contract."title" IS 'Contract title';
COMMENT ON COLUMN citytools.contract."reference" IS 'Reference. Your contract reference';
COMMENT ON COLUMN citytools.contract."supplier_id" IS 'Supplier (the Supplier''s id)';
COMMENT ON COLUMN citytools.contract."start_date" IS 'Start date';
COMMENT ON COLUMN citytools.contract."end_date" IS 'End date. Leave blank for a rolling contract';
COMMENT ON COLUMN citytools.contract."latest_end_date" IS 'Latest end date with all extensions';
COMMENT ON COLUMN citytools.contract."rolling" IS 'Rolling contract. No fixed end date';
COMMENT ON COLUMN citytools.contract."notice_period_days" IS 'Notice period in days';
COMMENT ON COLUMN citytools.contract."auto_renews" IS 'Renews automatically';
COMMENT ON COLUMN citytools.contract."annual_value_pence" IS 'Annual value. In pounds (in pence)';
COMMENT ON COLUMN citytools.contract."total_value_pence" IS 'Total value. In pounds, over the whole contract (in pence)';
COMMENT ON COLUMN citytools.contract."procurement_route" IS 'How it was procured (the option''s label)';
COMMENT ON COLUMN citytools.contract."framework_ref" IS 'Framework reference. For example RM1557.14';
COMMENT ON COLUMN citytools.contract."notes" IS 'Notes';
COMMENT ON COLUMN citytools.contract."decision_date" IS 'End date (or, without one, the latest end date) less the notice period less the lead time: the last day to decide what happens next';
COMMENT ON COLUMN citytools.contract."days_to_decision" IS 'Days from the publication date to the decision date (negative: passed)';

CREATE TABLE citytools.contract_system (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "contract_id" uuid NOT NULL,
    "system_id" uuid NOT NULL,
    PRIMARY KEY (cycle, organisation, contract_id, system_id),
    FOREIGN KEY (cycle, organisation, contract_id) REFERENCES citytools.contract (cycle, organisation, id) ON DELETE CASCADE,
    FOREIGN KEY (cycle, organisation, system_id) REFERENCES citytools.system (cycle, organisation, id) ON DELETE CASCADE
);
COMMENT ON TABLE citytools.contract_system IS 'Contract: Systems it covers, one row per link';
COMMENT ON COLUMN citytools.contract_system."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.contract_system."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.contract_system."contract_id" IS 'The Contract (contract.id)';
COMMENT ON COLUMN citytools.contract_system."system_id" IS 'The System (system.id)';

CREATE TABLE citytools.skill (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "id" uuid NOT NULL,
    "area" text,
    "level" text,
    "can_offer_support" boolean,
    "wants_support" boolean,
    "notes" text,
    PRIMARY KEY (cycle, organisation, id),
    FOREIGN KEY (cycle, organisation) REFERENCES citytools.organisation_return ON DELETE CASCADE
);
COMMENT ON TABLE citytools.skill IS 'Skills: one row per record in an organisation''s current return for the cycle. Fields a profile leaves out are empty';
COMMENT ON COLUMN citytools.skill."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.skill."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.skill."id" IS 'The record''s id; it stays the same from cycle to cycle';
COMMENT ON COLUMN citytools.skill."area" IS 'Capability (the option''s label)';
COMMENT ON COLUMN citytools.skill."level" IS 'Level (the option''s label)';
COMMENT ON COLUMN citytools.skill."can_offer_support" IS 'Could support other organisations';
COMMENT ON COLUMN citytools.skill."wants_support" IS 'Would like support';
COMMENT ON COLUMN citytools.skill."notes" IS 'Notes';

CREATE TABLE citytools.gdpr (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "id" uuid NOT NULL,
    "dpo_appointed" boolean,
    "ico_registration" text,
    "notes" text,
    PRIMARY KEY (cycle, organisation, id),
    FOREIGN KEY (cycle, organisation) REFERENCES citytools.organisation_return ON DELETE CASCADE
);
COMMENT ON TABLE citytools.gdpr IS 'GDPR readiness: one row per record in an organisation''s current return for the cycle. Fields a profile leaves out are empty';
COMMENT ON COLUMN citytools.gdpr."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.gdpr."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.gdpr."id" IS 'The record''s id; it stays the same from cycle to cycle';
COMMENT ON COLUMN citytools.gdpr."dpo_appointed" IS 'A data protection officer is appointed';
COMMENT ON COLUMN citytools.gdpr."ico_registration" IS 'ICO registration number';
COMMENT ON COLUMN citytools.gdpr."notes" IS 'Notes';

CREATE TABLE citytools.gdpr_ratings (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "gdpr_id" uuid NOT NULL,
    "key" text NOT NULL,
    "key_label" text,
    "rating" text,
    PRIMARY KEY (cycle, organisation, gdpr_id, key),
    FOREIGN KEY (cycle, organisation, gdpr_id) REFERENCES citytools.gdpr (cycle, organisation, id) ON DELETE CASCADE
);
COMMENT ON TABLE citytools.gdpr_ratings IS 'GDPR readiness: ICO accountability framework, one row per category rated';
COMMENT ON COLUMN citytools.gdpr_ratings."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.gdpr_ratings."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.gdpr_ratings."gdpr_id" IS 'The GDPR readiness (gdpr.id)';
COMMENT ON COLUMN citytools.gdpr_ratings."key" IS 'What is rated: its id';
COMMENT ON COLUMN citytools.gdpr_ratings."key_label" IS 'What is rated: its label';
COMMENT ON COLUMN citytools.gdpr_ratings."rating" IS 'The rating (its label)';

CREATE TABLE citytools.cyber (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "id" uuid NOT NULL,
    "cyber_essentials" text,
    "cyber_essentials_expiry" date,
    "psn" text,
    "psn_expiry" date,
    "notes" text,
    PRIMARY KEY (cycle, organisation, id),
    FOREIGN KEY (cycle, organisation) REFERENCES citytools.organisation_return ON DELETE CASCADE
);
COMMENT ON TABLE citytools.cyber IS 'Cyber readiness: one row per record in an organisation''s current return for the cycle. Fields a profile leaves out are empty';
COMMENT ON COLUMN citytools.cyber."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.cyber."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.cyber."id" IS 'The record''s id; it stays the same from cycle to cycle';
COMMENT ON COLUMN citytools.cyber."cyber_essentials" IS 'Cyber Essentials (the option''s label)';
COMMENT ON COLUMN citytools.cyber."cyber_essentials_expiry" IS 'Cyber Essentials certificate expires';
COMMENT ON COLUMN citytools.cyber."psn" IS 'PSN compliance (the option''s label)';
COMMENT ON COLUMN citytools.cyber."psn_expiry" IS 'PSN certificate expires';
COMMENT ON COLUMN citytools.cyber."notes" IS 'Notes';

CREATE TABLE citytools.cyber_security (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "cyber_id" uuid NOT NULL,
    "last_it_health_check" date,
    PRIMARY KEY (cycle, organisation, cyber_id),
    FOREIGN KEY (cycle, organisation, cyber_id) REFERENCES citytools.cyber (cycle, organisation, id) ON DELETE CASCADE
);
COMMENT ON TABLE citytools.cyber_security IS 'OFFICIAL-SENSITIVE: the Cyber readiness''s sensitive answers. Written only by a publication with the full profile; empty otherwise';
COMMENT ON COLUMN citytools.cyber_security."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.cyber_security."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.cyber_security."cyber_id" IS 'The Cyber readiness (cyber.id)';
COMMENT ON COLUMN citytools.cyber_security."last_it_health_check" IS 'Last IT health check';

CREATE TABLE citytools.cyber_caf (
    "cycle" text NOT NULL,
    "organisation" text NOT NULL,
    "cyber_id" uuid NOT NULL,
    "key" text NOT NULL,
    "key_label" text,
    "rating" text,
    PRIMARY KEY (cycle, organisation, cyber_id, key),
    FOREIGN KEY (cycle, organisation, cyber_id) REFERENCES citytools.cyber (cycle, organisation, id) ON DELETE CASCADE
);
COMMENT ON TABLE citytools.cyber_caf IS 'OFFICIAL-SENSITIVE: Cyber readiness: CAF objectives A and D, one row per CAF contributing outcome rated. Written only by a publication with the full profile';
COMMENT ON COLUMN citytools.cyber_caf."cycle" IS 'The return cycle, such as 2026-27 (one publication each)';
COMMENT ON COLUMN citytools.cyber_caf."organisation" IS 'The organisation (organisation.id, such as gss:E09000007)';
COMMENT ON COLUMN citytools.cyber_caf."cyber_id" IS 'The Cyber readiness (cyber.id)';
COMMENT ON COLUMN citytools.cyber_caf."key" IS 'What is rated: its id';
COMMENT ON COLUMN citytools.cyber_caf."key_label" IS 'What is rated: its label';
COMMENT ON COLUMN citytools.cyber_caf."rating" IS 'The rating (its label)';

CREATE TABLE citytools.readiness (
    "cycle" text NOT NULL,
    "row_number" bigint NOT NULL,
    "organisation" text,
    "organisation_code" text,
    "systems" bigint,
    "systems_out_of_support" bigint,
    "cyber_essentials" text,
    "cyber_essentials_certificate_expires" date,
    "psn_compliance" text,
    "psn_certificate_expires" date,
    "last_it_health_check" text,
    "caf_a1_a_board_direction" text,
    "caf_a1_b_roles_and_responsibilities" text,
    "caf_a1_c_decision_making" text,
    "caf_a2_a_risk_management_process" text,
    "caf_a2_b_assurance" text,
    "caf_a3_a_asset_management" text,
    "caf_a4_a_supply_chain" text,
    "caf_d1_a_response_plan" text,
    "caf_d1_b_response_and_recovery_capability" text,
    "caf_d1_c_testing_and_exercising" text,
    "caf_d2_a_incident_root_cause_analysis" text,
    "caf_d2_b_using_incidents_to_drive_improvements" text,
    "a_data_protection_officer_is_appointed" boolean,
    "ico_registration_number" text,
    "ico_leadership_and_oversight" text,
    "ico_policies_and_procedures" text,
    "ico_training_and_awareness" text,
    "ico_individuals_rights" text,
    "ico_transparency" text,
    "ico_records_of_processing_and_lawful_basis" text,
    "ico_contracts_and_data_sharing" text,
    "ico_risks_and_dpias" text,
    "ico_records_management_and_security" text,
    "ico_breach_response_and_monitoring" text,
    "internet_facing_systems" bigint,
    "systems_without_mfa_for_all_users" bigint,
    "systems_not_patched_within_14_days" bigint,
    "systems_without_offline_or_immutable_backups" bigint,
    "systems_with_known_vulnerabilities" bigint,
    "caf_outcomes_achieved" bigint,
    "caf_outcomes_partially_achieved" bigint,
    "caf_outcomes_not_achieved" bigint,
    "it_health_check_in_the_last_12_months" text,
    PRIMARY KEY (cycle, row_number),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.readiness IS 'Readiness: one row per organisation (certificates, ICO ratings; counts from sensitive answers unless open; CAF ratings only in full), as the workbook''s Readiness sheet';
COMMENT ON COLUMN citytools.readiness."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.readiness."row_number" IS 'The row''s place on the workbook''s sheet (1 = first)';
COMMENT ON COLUMN citytools.readiness."organisation" IS 'Organisation: The organisation whose return this is';
COMMENT ON COLUMN citytools.readiness."organisation_code" IS 'Organisation code: The organisation''s ONS GSS code (or its code in another scheme)';
COMMENT ON COLUMN citytools.readiness."systems" IS 'Systems: Systems in the return';
COMMENT ON COLUMN citytools.readiness."systems_out_of_support" IS 'Systems out of support: Systems whose version the supplier no longer supports';
COMMENT ON COLUMN citytools.readiness."cyber_essentials" IS 'Cyber Essentials';
COMMENT ON COLUMN citytools.readiness."cyber_essentials_certificate_expires" IS 'Cyber Essentials certificate expires';
COMMENT ON COLUMN citytools.readiness."psn_compliance" IS 'PSN compliance';
COMMENT ON COLUMN citytools.readiness."psn_certificate_expires" IS 'PSN certificate expires';
COMMENT ON COLUMN citytools.readiness."last_it_health_check" IS 'Last IT health check';
COMMENT ON COLUMN citytools.readiness."caf_a1_a_board_direction" IS 'CAF A1.a Board direction: CAF objectives A and D: A1.a Board direction';
COMMENT ON COLUMN citytools.readiness."caf_a1_b_roles_and_responsibilities" IS 'CAF A1.b Roles and responsibilities: CAF objectives A and D: A1.b Roles and responsibilities';
COMMENT ON COLUMN citytools.readiness."caf_a1_c_decision_making" IS 'CAF A1.c Decision-making: CAF objectives A and D: A1.c Decision-making';
COMMENT ON COLUMN citytools.readiness."caf_a2_a_risk_management_process" IS 'CAF A2.a Risk management process: CAF objectives A and D: A2.a Risk management process';
COMMENT ON COLUMN citytools.readiness."caf_a2_b_assurance" IS 'CAF A2.b Assurance: CAF objectives A and D: A2.b Assurance';
COMMENT ON COLUMN citytools.readiness."caf_a3_a_asset_management" IS 'CAF A3.a Asset management: CAF objectives A and D: A3.a Asset management';
COMMENT ON COLUMN citytools.readiness."caf_a4_a_supply_chain" IS 'CAF A4.a Supply chain: CAF objectives A and D: A4.a Supply chain';
COMMENT ON COLUMN citytools.readiness."caf_d1_a_response_plan" IS 'CAF D1.a Response plan: CAF objectives A and D: D1.a Response plan';
COMMENT ON COLUMN citytools.readiness."caf_d1_b_response_and_recovery_capability" IS 'CAF D1.b Response and recovery capability: CAF objectives A and D: D1.b Response and recovery capability';
COMMENT ON COLUMN citytools.readiness."caf_d1_c_testing_and_exercising" IS 'CAF D1.c Testing and exercising: CAF objectives A and D: D1.c Testing and exercising';
COMMENT ON COLUMN citytools.readiness."caf_d2_a_incident_root_cause_analysis" IS 'CAF D2.a Incident root cause analysis: CAF objectives A and D: D2.a Incident root cause analysis';
COMMENT ON COLUMN citytools.readiness."caf_d2_b_using_incidents_to_drive_improvements" IS 'CAF D2.b Using incidents to drive improvements: CAF objectives A and D: D2.b Using incidents to drive improvements';
COMMENT ON COLUMN citytools.readiness."a_data_protection_officer_is_appointed" IS 'A data protection officer is appointed';
COMMENT ON COLUMN citytools.readiness."ico_registration_number" IS 'ICO registration number';
COMMENT ON COLUMN citytools.readiness."ico_leadership_and_oversight" IS 'ICO: Leadership and oversight: ICO accountability framework: Leadership and oversight';
COMMENT ON COLUMN citytools.readiness."ico_policies_and_procedures" IS 'ICO: Policies and procedures: ICO accountability framework: Policies and procedures';
COMMENT ON COLUMN citytools.readiness."ico_training_and_awareness" IS 'ICO: Training and awareness: ICO accountability framework: Training and awareness';
COMMENT ON COLUMN citytools.readiness."ico_individuals_rights" IS 'ICO: Individuals'' rights: ICO accountability framework: Individuals'' rights';
COMMENT ON COLUMN citytools.readiness."ico_transparency" IS 'ICO: Transparency: ICO accountability framework: Transparency';
COMMENT ON COLUMN citytools.readiness."ico_records_of_processing_and_lawful_basis" IS 'ICO: Records of processing and lawful basis: ICO accountability framework: Records of processing and lawful basis';
COMMENT ON COLUMN citytools.readiness."ico_contracts_and_data_sharing" IS 'ICO: Contracts and data sharing: ICO accountability framework: Contracts and data sharing';
COMMENT ON COLUMN citytools.readiness."ico_risks_and_dpias" IS 'ICO: Risks and DPIAs: ICO accountability framework: Risks and DPIAs';
COMMENT ON COLUMN citytools.readiness."ico_records_management_and_security" IS 'ICO: Records management and security: ICO accountability framework: Records management and security';
COMMENT ON COLUMN citytools.readiness."ico_breach_response_and_monitoring" IS 'ICO: Breach response and monitoring: ICO accountability framework: Breach response and monitoring';
COMMENT ON COLUMN citytools.readiness."internet_facing_systems" IS 'Internet-facing systems: A count per organisation from sensitive answers (never per system)';
COMMENT ON COLUMN citytools.readiness."systems_without_mfa_for_all_users" IS 'Systems without MFA for all users: A count per organisation from sensitive answers (never per system)';
COMMENT ON COLUMN citytools.readiness."systems_not_patched_within_14_days" IS 'Systems not patched within 14 days: A count per organisation from sensitive answers (never per system)';
COMMENT ON COLUMN citytools.readiness."systems_without_offline_or_immutable_backups" IS 'Systems without offline or immutable backups: A count per organisation from sensitive answers (never per system)';
COMMENT ON COLUMN citytools.readiness."systems_with_known_vulnerabilities" IS 'Systems with known vulnerabilities: A count per organisation from sensitive answers (never per system)';
COMMENT ON COLUMN citytools.readiness."caf_outcomes_achieved" IS 'CAF outcomes achieved: A count per organisation from sensitive answers (never per system)';
COMMENT ON COLUMN citytools.readiness."caf_outcomes_partially_achieved" IS 'CAF outcomes partially achieved: A count per organisation from sensitive answers (never per system)';
COMMENT ON COLUMN citytools.readiness."caf_outcomes_not_achieved" IS 'CAF outcomes not achieved: A count per organisation from sensitive answers (never per system)';
COMMENT ON COLUMN citytools.readiness."it_health_check_in_the_last_12_months" IS 'IT health check in the last 12 months: From the date of the last IT health check (sensitive), as yes or no';

CREATE TABLE citytools.joint_window (
    "cycle" text NOT NULL,
    "row_number" bigint NOT NULL,
    "rank" bigint,
    "grouping" text,
    "shared" text,
    "organisations" bigint,
    "organisation_names" text,
    "contracts" bigint,
    "first_decision" date,
    "last_decision" date,
    "annual_value_pence" bigint,
    "contracts_without_value" bigint,
    "why" text,
    PRIMARY KEY (cycle, row_number),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.joint_window IS 'Joint procurement windows: contracts of several organisations sharing a product, supplier or service area whose decisions fall close together, ranked by annual value';
COMMENT ON COLUMN citytools.joint_window."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.joint_window."row_number" IS 'The row''s place on the workbook''s sheet (1 = first)';
COMMENT ON COLUMN citytools.joint_window."rank" IS 'Rank: 1 = the most annual value at stake';
COMMENT ON COLUMN citytools.joint_window."grouping" IS 'Grouping: What the contracts share: product, supplier or service area';
COMMENT ON COLUMN citytools.joint_window."shared" IS 'Shared: The product, supplier or service area';
COMMENT ON COLUMN citytools.joint_window."organisations" IS 'Organisations: How many organisations have a contract in the window';
COMMENT ON COLUMN citytools.joint_window."organisation_names" IS 'Organisation names: Who would buy together';
COMMENT ON COLUMN citytools.joint_window."contracts" IS 'Contracts: Contracts in the window';
COMMENT ON COLUMN citytools.joint_window."first_decision" IS 'First decision: The earliest last date to act in the window';
COMMENT ON COLUMN citytools.joint_window."last_decision" IS 'Last decision: The latest last date to act in the window';
COMMENT ON COLUMN citytools.joint_window."annual_value_pence" IS 'Annual value: Sum of the contracts'' annual values (unknown counts as 0) (in pence)';
COMMENT ON COLUMN citytools.joint_window."contracts_without_value" IS 'Contracts without value: Contracts with no annual value given';
COMMENT ON COLUMN citytools.joint_window."why" IS 'Why: The window explained';

CREATE TABLE citytools.decision_date (
    "cycle" text NOT NULL,
    "row_number" bigint NOT NULL,
    "organisation" text,
    "contract" text,
    "supplier" text,
    "products" text,
    "service_areas" text,
    "end_date" date,
    "notice_period_days" bigint,
    "give_notice_by" date,
    "decision_date" date,
    "annual_value_pence" bigint,
    "notes" text,
    PRIMARY KEY (cycle, row_number),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.decision_date IS 'Decision dates: one row per contract, with the last date to act and why';
COMMENT ON COLUMN citytools.decision_date."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.decision_date."row_number" IS 'The row''s place on the workbook''s sheet (1 = first)';
COMMENT ON COLUMN citytools.decision_date."organisation" IS 'Organisation: The organisation holding the contract';
COMMENT ON COLUMN citytools.decision_date."contract" IS 'Contract: The contract''s title';
COMMENT ON COLUMN citytools.decision_date."supplier" IS 'Supplier: The supplier, as matched across organisations';
COMMENT ON COLUMN citytools.decision_date."products" IS 'Products: Products of the systems the contract covers';
COMMENT ON COLUMN citytools.decision_date."service_areas" IS 'Service areas: Service areas of those systems';
COMMENT ON COLUMN citytools.decision_date."end_date" IS 'End date: When the contract ends';
COMMENT ON COLUMN citytools.decision_date."notice_period_days" IS 'Notice period (days): Days of notice the contract needs';
COMMENT ON COLUMN citytools.decision_date."give_notice_by" IS 'Give notice by: The end date used, less the notice period';
COMMENT ON COLUMN citytools.decision_date."decision_date" IS 'Decision date: The last day to act: notice date less the lead time to procure';
COMMENT ON COLUMN citytools.decision_date."annual_value_pence" IS 'Annual value: The contract''s annual value (in pence)';
COMMENT ON COLUMN citytools.decision_date."notes" IS 'Notes: Why a date is missing or uncertain';

CREATE TABLE citytools.concentration (
    "cycle" text NOT NULL,
    "row_number" bigint NOT NULL,
    "scope" text,
    "contracts" bigint,
    "contracts_without_supplier" bigint,
    "annual_value_pence" bigint,
    "suppliers" bigint,
    "top_10_share_of_contracts_pct" double precision,
    "top_10_share_of_value_pct" double precision,
    "hhi_contracts" double precision,
    "hhi_value" double precision,
    PRIMARY KEY (cycle, row_number),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.concentration IS 'Supplier concentration: per scope (every contract, or a service area), top-10 shares and HHI';
COMMENT ON COLUMN citytools.concentration."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.concentration."row_number" IS 'The row''s place on the workbook''s sheet (1 = first)';
COMMENT ON COLUMN citytools.concentration."scope" IS 'Scope: Every contract, or one service area''s';
COMMENT ON COLUMN citytools.concentration."contracts" IS 'Contracts: Contracts in scope';
COMMENT ON COLUMN citytools.concentration."contracts_without_supplier" IS 'Contracts without supplier: Contracts naming no supplier';
COMMENT ON COLUMN citytools.concentration."annual_value_pence" IS 'Annual value: Sum of annual values in scope (in pence)';
COMMENT ON COLUMN citytools.concentration."suppliers" IS 'Suppliers: Distinct suppliers';
COMMENT ON COLUMN citytools.concentration."top_10_share_of_contracts_pct" IS 'Top 10 share of contracts (%): Share of contracts held by the 10 largest suppliers';
COMMENT ON COLUMN citytools.concentration."top_10_share_of_value_pct" IS 'Top 10 share of value (%): Share of annual value held by the 10 largest suppliers';
COMMENT ON COLUMN citytools.concentration."hhi_contracts" IS 'HHI (contracts): Herfindahl-Hirschman index on shares of contracts: 0 to 10,000; from 1500 moderately, from 2500 highly concentrated';
COMMENT ON COLUMN citytools.concentration."hhi_value" IS 'HHI (value): Herfindahl-Hirschman index on shares of value';

CREATE TABLE citytools.supplier_share (
    "cycle" text NOT NULL,
    "row_number" bigint NOT NULL,
    "scope" text,
    "supplier" text,
    "contracts" bigint,
    "share_of_contracts_pct" double precision,
    "annual_value_pence" bigint,
    "share_of_value_pct" double precision,
    "organisations" bigint,
    PRIMARY KEY (cycle, row_number),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.supplier_share IS 'Supplier shares: each supplier''s contracts and annual value per scope';
COMMENT ON COLUMN citytools.supplier_share."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.supplier_share."row_number" IS 'The row''s place on the workbook''s sheet (1 = first)';
COMMENT ON COLUMN citytools.supplier_share."scope" IS 'Scope: Every contract, or one service area''s';
COMMENT ON COLUMN citytools.supplier_share."supplier" IS 'Supplier: The supplier, as matched across organisations';
COMMENT ON COLUMN citytools.supplier_share."contracts" IS 'Contracts: Its contracts in scope';
COMMENT ON COLUMN citytools.supplier_share."share_of_contracts_pct" IS 'Share of contracts (%): Percent of contracts with a known supplier';
COMMENT ON COLUMN citytools.supplier_share."annual_value_pence" IS 'Annual value: Annual value of its contracts (in pence)';
COMMENT ON COLUMN citytools.supplier_share."share_of_value_pct" IS 'Share of value (%): Percent of the annual value with a known supplier';
COMMENT ON COLUMN citytools.supplier_share."organisations" IS 'Organisations: Organisations with a contract with it';

CREATE TABLE citytools.caf_heatmap (
    "cycle" text NOT NULL,
    "row_number" bigint NOT NULL,
    "organisation" text,
    "caf_principle" text,
    "achieved" bigint,
    "partially_achieved" bigint,
    "not_achieved" bigint,
    "score_pct" double precision,
    PRIMARY KEY (cycle, row_number),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.caf_heatmap IS 'CAF heatmap: outcomes achieved, partially and not achieved per CAF principle (all organisations together unless full; not published as open)';
COMMENT ON COLUMN citytools.caf_heatmap."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.caf_heatmap."row_number" IS 'The row''s place on the workbook''s sheet (1 = first)';
COMMENT ON COLUMN citytools.caf_heatmap."organisation" IS 'Organisation: One organisation, or all organisations together (unless the full profile)';
COMMENT ON COLUMN citytools.caf_heatmap."caf_principle" IS 'CAF principle: NCSC Cyber Assessment Framework principle (A1 to D2)';
COMMENT ON COLUMN citytools.caf_heatmap."achieved" IS 'Achieved: Contributing outcomes rated achieved';
COMMENT ON COLUMN citytools.caf_heatmap."partially_achieved" IS 'Partially achieved: Contributing outcomes rated partially achieved';
COMMENT ON COLUMN citytools.caf_heatmap."not_achieved" IS 'Not achieved: Contributing outcomes rated not achieved';
COMMENT ON COLUMN citytools.caf_heatmap."score_pct" IS 'Score (%): Achieved = 100, partially = 50, not = 0, averaged; empty when nothing was rated';

CREATE TABLE citytools.ico_heatmap (
    "cycle" text NOT NULL,
    "row_number" bigint NOT NULL,
    "organisation" text,
    "leadership_and_oversight" text,
    "policies_and_procedures" text,
    "training_and_awareness" text,
    "individuals_rights" text,
    "transparency" text,
    "records_of_processing_and_lawful_basis" text,
    "contracts_and_data_sharing" text,
    "risks_and_dpias" text,
    "records_management_and_security" text,
    "breach_response_and_monitoring" text,
    PRIMARY KEY (cycle, row_number),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.ico_heatmap IS 'ICO heatmap: each organisation''s ICO self-assessment ratings';
COMMENT ON COLUMN citytools.ico_heatmap."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.ico_heatmap."row_number" IS 'The row''s place on the workbook''s sheet (1 = first)';
COMMENT ON COLUMN citytools.ico_heatmap."organisation" IS 'Organisation: The organisation';
COMMENT ON COLUMN citytools.ico_heatmap."leadership_and_oversight" IS 'Leadership and oversight: The organisation''s ICO self-assessment rating';
COMMENT ON COLUMN citytools.ico_heatmap."policies_and_procedures" IS 'Policies and procedures: The organisation''s ICO self-assessment rating';
COMMENT ON COLUMN citytools.ico_heatmap."training_and_awareness" IS 'Training and awareness: The organisation''s ICO self-assessment rating';
COMMENT ON COLUMN citytools.ico_heatmap."individuals_rights" IS 'Individuals'' rights: The organisation''s ICO self-assessment rating';
COMMENT ON COLUMN citytools.ico_heatmap."transparency" IS 'Transparency: The organisation''s ICO self-assessment rating';
COMMENT ON COLUMN citytools.ico_heatmap."records_of_processing_and_lawful_basis" IS 'Records of processing and lawful basis: The organisation''s ICO self-assessment rating';
COMMENT ON COLUMN citytools.ico_heatmap."contracts_and_data_sharing" IS 'Contracts and data sharing: The organisation''s ICO self-assessment rating';
COMMENT ON COLUMN citytools.ico_heatmap."risks_and_dpias" IS 'Risks and DPIAs: The organisation''s ICO self-assessment rating';
COMMENT ON COLUMN citytools.ico_heatmap."records_management_and_security" IS 'Records management and security: The organisation''s ICO self-assessment rating';
COMMENT ON COLUMN citytools.ico_heatmap."breach_response_and_monitoring" IS 'Breach response and monitoring: The organisation''s ICO self-assessment rating';

CREATE TABLE citytools.certificate (
    "cycle" text NOT NULL,
    "row_number" bigint NOT NULL,
    "organisation" text,
    "cyber_essentials" text,
    "cyber_essentials_expiry" date,
    "psn" text,
    "psn_expiry" date,
    PRIMARY KEY (cycle, row_number),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.certificate IS 'Certificates: Cyber Essentials and PSN per organisation, with their state';
COMMENT ON COLUMN citytools.certificate."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.certificate."row_number" IS 'The row''s place on the workbook''s sheet (1 = first)';
COMMENT ON COLUMN citytools.certificate."organisation" IS 'Organisation: The organisation';
COMMENT ON COLUMN citytools.certificate."cyber_essentials" IS 'Cyber Essentials: Valid, expiring soon (within 90 days), expired, …';
COMMENT ON COLUMN citytools.certificate."cyber_essentials_expiry" IS 'Cyber Essentials expiry: When the certificate expires';
COMMENT ON COLUMN citytools.certificate."psn" IS 'PSN: Valid, expiring soon (within 90 days), expired, …';
COMMENT ON COLUMN citytools.certificate."psn_expiry" IS 'PSN expiry: When the PSN compliance certificate expires';

CREATE TABLE citytools.support (
    "cycle" text NOT NULL,
    "row_number" bigint NOT NULL,
    "organisation" text,
    "systems" bigint,
    "out_of_support" bigint,
    "past_end_of_support" bigint,
    "support_ending_soon" bigint,
    "systems_out_of_support" text,
    PRIMARY KEY (cycle, row_number),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.support IS 'Systems out of support per organisation (their names only in full)';
COMMENT ON COLUMN citytools.support."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.support."row_number" IS 'The row''s place on the workbook''s sheet (1 = first)';
COMMENT ON COLUMN citytools.support."organisation" IS 'Organisation: The organisation';
COMMENT ON COLUMN citytools.support."systems" IS 'Systems: Systems in its return';
COMMENT ON COLUMN citytools.support."out_of_support" IS 'Out of support: Systems marked out of support';
COMMENT ON COLUMN citytools.support."past_end_of_support" IS 'Past end of support: Not marked out of support, but the end-of-support date has passed';
COMMENT ON COLUMN citytools.support."support_ending_soon" IS 'Support ending soon: End of support within 90 days';
COMMENT ON COLUMN citytools.support."systems_out_of_support" IS 'Systems out of support: Their names (full profile only)';

CREATE TABLE citytools.skills_pair (
    "cycle" text NOT NULL,
    "row_number" bigint NOT NULL,
    "rank" bigint,
    "skill_area" text,
    "can_help" text,
    "their_level" text,
    "would_benefit" text,
    "their_level_seeker" text,
    "score" bigint,
    "why" text,
    PRIMARY KEY (cycle, row_number),
    FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE
);
COMMENT ON TABLE citytools.skills_pair IS 'Skills pairs: organisations that could support each other, ranked';
COMMENT ON COLUMN citytools.skills_pair."cycle" IS 'The return cycle';
COMMENT ON COLUMN citytools.skills_pair."row_number" IS 'The row''s place on the workbook''s sheet (1 = first)';
COMMENT ON COLUMN citytools.skills_pair."rank" IS 'Rank: 1 = the strongest match';
COMMENT ON COLUMN citytools.skills_pair."skill_area" IS 'Skill area: What the pair would share';
COMMENT ON COLUMN citytools.skills_pair."can_help" IS 'Can help: The organisation strong in the area, or offering help';
COMMENT ON COLUMN citytools.skills_pair."their_level" IS 'Their level: Its self-assessed level';
COMMENT ON COLUMN citytools.skills_pair."would_benefit" IS 'Would benefit: The organisation weak in the area, or asking for help';
COMMENT ON COLUMN citytools.skills_pair."their_level_seeker" IS 'Their level (seeker): Its self-assessed level';
COMMENT ON COLUMN citytools.skills_pair."score" IS 'Score: 10 per level between them, plus 5 for an offer and 5 for a request';
COMMENT ON COLUMN citytools.skills_pair."why" IS 'Why: The pairing explained';

CREATE VIEW citytools.pipeline AS
SELECT c.cycle,
       o.name AS organisation,
       o.code AS organisation_code,
       c.title AS contract,
       s.name AS supplier,
       g.name AS supplier_group,
       c.end_date,
       c.decision_date,
       date_trunc('quarter', c.decision_date)::date AS decision_quarter,
       c.annual_value_pence,
       c.annual_value_pence / 100.0 AS annual_value_pounds
FROM citytools.contract c
JOIN citytools.publication p ON p.cycle = c.cycle
JOIN citytools.organisation o ON o.id = c.organisation
LEFT JOIN citytools.supplier s ON (s.cycle, s.organisation, s.id) = (c.cycle, c.organisation, c.supplier_id)
LEFT JOIN citytools.supplier_group g ON (g.cycle, g.key) = (s.cycle, s.supplier_group)
WHERE coalesce(c.decision_date, c.end_date) >= p.published_at::date
  AND coalesce(c.decision_date, c.end_date) < p.published_at::date + interval '36 months';
COMMENT ON VIEW citytools.pipeline IS 'The procurement pipeline: contracts whose decision date (or, without one, end date) falls within 36 months of the publication';
COMMENT ON COLUMN citytools.pipeline.cycle IS 'The return cycle';
COMMENT ON COLUMN citytools.pipeline.organisation IS 'The organisation holding the contract';
COMMENT ON COLUMN citytools.pipeline.organisation_code IS 'Its code';
COMMENT ON COLUMN citytools.pipeline.contract IS 'The contract''s title';
COMMENT ON COLUMN citytools.pipeline.supplier IS 'The supplier as the organisation names it';
COMMENT ON COLUMN citytools.pipeline.supplier_group IS 'The supplier as matched across organisations';
COMMENT ON COLUMN citytools.pipeline.end_date IS 'When the contract ends';
COMMENT ON COLUMN citytools.pipeline.decision_date IS 'The last day to decide what happens next';
COMMENT ON COLUMN citytools.pipeline.decision_quarter IS 'The first day of the decision date''s calendar quarter';
COMMENT ON COLUMN citytools.pipeline.annual_value_pence IS 'Annual value in pence';
COMMENT ON COLUMN citytools.pipeline.annual_value_pounds IS 'Annual value in pounds';

CREATE VIEW citytools.products_by_org AS
SELECT p.cycle,
       o.name AS organisation,
       o.code AS organisation_code,
       p.name AS product,
       g.name AS product_group,
       g.organisations AS organisations_using_it,
       s.name AS supplier,
       count(sy.id) AS systems
FROM citytools.product p
JOIN citytools.organisation o ON o.id = p.organisation
LEFT JOIN citytools.product_group g ON (g.cycle, g.key) = (p.cycle, p.product_group)
LEFT JOIN citytools.supplier s ON (s.cycle, s.organisation, s.id) = (p.cycle, p.organisation, p.supplier_id)
LEFT JOIN citytools.system sy ON (sy.cycle, sy.organisation, sy.product_id) = (p.cycle, p.organisation, p.id)
GROUP BY p.cycle, o.name, o.code, p.name, g.name, g.organisations, s.name;
COMMENT ON VIEW citytools.products_by_org IS 'Products each organisation uses, with the cross-organisation product they were matched to and how many of its systems run them';
COMMENT ON COLUMN citytools.products_by_org.cycle IS 'The return cycle';
COMMENT ON COLUMN citytools.products_by_org.organisation IS 'The organisation';
COMMENT ON COLUMN citytools.products_by_org.organisation_code IS 'Its code';
COMMENT ON COLUMN citytools.products_by_org.product IS 'The product as the organisation names it';
COMMENT ON COLUMN citytools.products_by_org.product_group IS 'The product as matched across organisations';
COMMENT ON COLUMN citytools.products_by_org.organisations_using_it IS 'Organisations that report that product';
COMMENT ON COLUMN citytools.products_by_org.supplier IS 'The product''s supplier as the organisation names it';
COMMENT ON COLUMN citytools.products_by_org.systems IS 'The organisation''s systems running it';
