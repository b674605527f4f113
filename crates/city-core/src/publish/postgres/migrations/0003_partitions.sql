-- citytools schema, version 3: every table of a cycle's rows is list-partitioned by cycle, one
-- partition per cycle in the schema citytools_cycle (BI tools query the tables of citytools;
-- the partitions are how a cycle is stored). Replacing a cycle's publication builds the new
-- rows into fresh tables with no foreign key to check row by row, then, at the end of the same
-- transaction, detaches and drops the cycle's old partitions and attaches the new ones (each
-- foreign key checked once, by one query per partition) instead of deleting the old rows
-- through ON DELETE CASCADE and checking every foreign key for every row copied in.
--
-- The tables are rebuilt with the same columns, comments, keys, indexes and foreign keys, and
-- their rows kept (every cycle published so far becomes a partition).

CREATE SCHEMA citytools_cycle;
COMMENT ON SCHEMA citytools_cycle IS 'City Tools: the partitions of the citytools tables, one per table and cycle (query the citytools tables, not these)';

DROP VIEW citytools.pipeline, citytools.products_by_org;

DO $migration$
DECLARE
    t text;
    d record;
    path text := current_setting('search_path');
    cy text;
    tables text[];
BEGIN
    PERFORM set_config('search_path', 'pg_catalog', true);
    -- The tables of a cycle's rows, in the order they were made (referenced before referencing).
    SELECT array_agg(c.relname::text ORDER BY c.oid) INTO tables
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'citytools'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'cycle' AND NOT a.attisdropped
    WHERE c.relkind = 'r' AND c.relname <> 'publication';

    -- Their keys, indexes and foreign keys, as they are now (schema-qualified).
    CREATE TEMP TABLE m3_def (ord int, tbl text, def text) ON COMMIT DROP;
    INSERT INTO m3_def
    SELECT 1, c.relname, format('ALTER TABLE citytools.%I ADD CONSTRAINT %I %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
    WHERE c.relname = ANY (tables) AND c.relnamespace = 'citytools'::regnamespace AND k.contype IN ('p', 'u', 'c');
    INSERT INTO m3_def
    SELECT 2, c.relname, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    WHERE c.relname = ANY (tables) AND c.relnamespace = 'citytools'::regnamespace
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = c.oid);
    INSERT INTO m3_def
    SELECT 3, c.relname, format('ALTER TABLE citytools.%I ADD CONSTRAINT %I %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
    WHERE c.relname = ANY (tables) AND c.relnamespace = 'citytools'::regnamespace AND k.contype = 'f';

    -- The new tables: the same columns, defaults and comments, partitioned by cycle, with a
    -- partition per cycle published; the rows copied across.
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('ALTER TABLE citytools.%I RENAME TO %I', t, t || '_v2');
        EXECUTE format(
            'CREATE TABLE citytools.%I (LIKE citytools.%I INCLUDING DEFAULTS INCLUDING COMMENTS INCLUDING STORAGE) PARTITION BY LIST (cycle)',
            t, t || '_v2');
        EXECUTE format('COMMENT ON TABLE citytools.%I IS %L', t,
            obj_description(format('citytools.%I', t || '_v2')::regclass, 'pg_class'));
        FOR cy IN SELECT p.cycle FROM citytools.publication p ORDER BY p.cycle LOOP
            EXECUTE format('CREATE TABLE citytools_cycle.%I PARTITION OF citytools.%I FOR VALUES IN (%L)',
                t || '_' || regexp_replace(cy, '[^A-Za-z0-9]+', '_', 'g'), t, cy);
        END LOOP;
        EXECUTE format('INSERT INTO citytools.%I SELECT * FROM citytools.%I', t, t || '_v2');
    END LOOP;
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('DROP TABLE citytools.%I CASCADE', t || '_v2');
    END LOOP;
    FOR d IN SELECT def FROM m3_def ORDER BY ord, tbl, def LOOP
        EXECUTE d.def;
    END LOOP;
    PERFORM set_config('search_path', path, true);
END
$migration$;

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
