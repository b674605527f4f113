//! The `citytools` schema as data: every table, its columns with their SQL types and comments,
//! keys and foreign keys. The record tables come from the questionnaire (a column per field,
//! commented with the field's label; sensitive fields in a `*_security` table of their own,
//! ratings and lists of links in tables of their own); the analysis tables come from the
//! committee workbook's sheets (a column per sheet column, commented with its note). The
//! numbered migration `migrations/0001_citytools.sql` is this description rendered once
//! ([`render_v1`]; a test keeps the two equal), so the schema a database holds is fixed by its
//! migrations, never by the code that happens to run.

// Rendering the migration (and the columns' types and comments it reads) is used by the
// migration's test, which keeps `migrations/0001_citytools.sql` equal to this description.
#![cfg_attr(not(test), allow(dead_code))]

use crate::domain::enums::RecordKind;
use crate::domain::questionnaire::{self, Field, FieldType};
use crate::domain::records::is_sensitive;

/// The PostgreSQL schema everything is written into.
pub(crate) const SCHEMA: &str = "citytools";

/// A column's SQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Text,
    BigInt,
    Double,
    Date,
    Bool,
    Uuid,
    Timestamptz,
}

impl Ty {
    fn sql(self) -> &'static str {
        match self {
            Ty::Text => "text",
            Ty::BigInt => "bigint",
            Ty::Double => "double precision",
            Ty::Date => "date",
            Ty::Bool => "boolean",
            Ty::Uuid => "uuid",
            Ty::Timestamptz => "timestamptz",
        }
    }
}

/// One column.
#[derive(Debug, Clone)]
pub(crate) struct Col {
    pub(crate) name: String,
    pub(crate) ty: Ty,
    pub(crate) comment: String,
    pub(crate) not_null: bool,
}

fn col(name: &str, ty: Ty, comment: &str) -> Col {
    Col {
        name: name.into(),
        ty,
        comment: comment.into(),
        not_null: false,
    }
}

fn key(name: &str, ty: Ty, comment: &str) -> Col {
    Col {
        not_null: true,
        ..col(name, ty, comment)
    }
}

/// One table.
#[derive(Debug, Clone)]
pub(crate) struct TableSpec {
    pub(crate) name: String,
    pub(crate) comment: String,
    pub(crate) cols: Vec<Col>,
    /// `PRIMARY KEY (…)`, `FOREIGN KEY (…) REFERENCES …`.
    pub(crate) constraints: Vec<String>,
}

/// Where a questionnaire field of a record goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Place {
    /// A column of the record's table.
    Main,
    /// A column of the record's `*_security` table (sensitive: written only by `full`).
    Security,
    /// Rows of a table of its own: (record, key, key label, rating).
    Ratings(String),
    /// Rows of a link table: (record, linked record).
    Link(String, RecordKind),
}

/// The record kinds in the order their tables are created and filled (a table after those it
/// refers to).
pub(crate) const KIND_ORDER: [RecordKind; 7] = [
    RecordKind::Supplier,
    RecordKind::Product,
    RecordKind::System,
    RecordKind::Contract,
    RecordKind::Skill,
    RecordKind::Gdpr,
    RecordKind::Cyber,
];

pub(crate) fn place(kind: RecordKind, f: &Field) -> Place {
    let top = f.name.split('.').next().unwrap_or(f.name);
    match f.field_type {
        FieldType::Ratings { .. } => Place::Ratings(format!("{}_{}", kind.id(), top)),
        FieldType::References(target) => {
            Place::Link(format!("{}_{}", kind.id(), target.id()), target)
        }
        _ if is_sensitive(kind, top) => Place::Security,
        _ => Place::Main,
    }
}

/// A field's column name: its JSON name with `_` for the dot, `_pence` after money.
pub(crate) fn field_column(f: &Field) -> String {
    let base = f.name.replace('.', "_");
    match f.field_type {
        FieldType::Money => format!("{base}_pence"),
        _ => base,
    }
}

fn field_type(f: &Field) -> Ty {
    match f.field_type {
        FieldType::Integer | FieldType::Money => Ty::BigInt,
        FieldType::Date => Ty::Date,
        FieldType::Boolean => Ty::Bool,
        FieldType::Reference(_) => Ty::Uuid,
        _ => Ty::Text,
    }
}

fn field_comment(f: &Field) -> String {
    let mut c = f.label.to_string();
    if !f.hint.is_empty() {
        c.push_str(". ");
        c.push_str(f.hint);
    }
    match f.field_type {
        FieldType::Money => c.push_str(" (in pence)"),
        FieldType::Choice(_) => c.push_str(" (the option's label)"),
        FieldType::Reference(k) => c.push_str(&format!(" (the {}'s id)", k.label())),
        FieldType::TextList => c.push_str(" (separated by \"; \")"),
        _ => {}
    }
    c
}

/// The fields of `kind` and where each goes.
pub(crate) fn fields(kind: RecordKind) -> impl Iterator<Item = (&'static Field, Place)> {
    questionnaire::fields(kind)
        .iter()
        .map(move |f| (f, place(kind, f)))
}

fn org_cols() -> [Col; 2] {
    [
        key(
            "cycle",
            Ty::Text,
            "The return cycle, such as 2026-27 (one publication each)",
        ),
        key(
            "organisation",
            Ty::Text,
            "The organisation (organisation.id, such as gss:E09000007)",
        ),
    ]
}

const RETURN_FK: &str =
    "FOREIGN KEY (cycle, organisation) REFERENCES citytools.organisation_return ON DELETE CASCADE";

fn record_fk(column: &str, target: RecordKind, cascade: bool) -> String {
    format!(
        "FOREIGN KEY (cycle, organisation, {column}) REFERENCES citytools.{} (cycle, organisation, id){}",
        target.id(),
        if cascade { " ON DELETE CASCADE" } else { "" }
    )
}

/// Extra columns of a record table, after its fields (not questionnaire fields).
pub(crate) fn extra_columns(kind: RecordKind) -> Vec<Col> {
    match kind {
        RecordKind::Supplier => vec![col(
            "supplier_group",
            Ty::Text,
            "The supplier as matched across organisations (supplier_group.key)",
        )],
        RecordKind::Product => vec![col(
            "product_group",
            Ty::Text,
            "The product as matched across organisations (product_group.key)",
        )],
        RecordKind::Contract => vec![
            col(
                "decision_date",
                Ty::Date,
                "End date (or, without one, the latest end date) less the notice period less the lead time: the last day to decide what happens next",
            ),
            col(
                "days_to_decision",
                Ty::BigInt,
                "Days from the publication date to the decision date (negative: passed)",
            ),
        ],
        _ => Vec::new(),
    }
}

/// The tables of one record kind: its own, its security table, its ratings and link tables.
pub(crate) fn record_tables(kind: RecordKind) -> Vec<TableSpec> {
    let name = kind.id();
    let label = kind.label();
    let mut main = TableSpec {
        name: name.into(),
        comment: format!(
            "{}: one row per record in an organisation's current return for the cycle. Fields a profile leaves out are empty",
            kind.plural()
        ),
        cols: Vec::from(org_cols()),
        constraints: vec![
            "PRIMARY KEY (cycle, organisation, id)".into(),
            RETURN_FK.into(),
        ],
    };
    main.cols.push(key(
        "id",
        Ty::Uuid,
        "The record's id; it stays the same from cycle to cycle",
    ));
    let id_col = format!("{name}_id");
    let child = |suffix: &str, comment: String| TableSpec {
        name: format!("{name}_{suffix}"),
        comment,
        cols: {
            let mut c = Vec::from(org_cols());
            c.push(key(&id_col, Ty::Uuid, &format!("The {label} ({name}.id)")));
            c
        },
        constraints: vec![record_fk(&id_col, kind, true)],
    };
    let mut security = child(
        "security",
        format!(
            "OFFICIAL-SENSITIVE: the {label}'s sensitive answers. Written only by a publication with the full profile; empty otherwise"
        ),
    );
    security
        .constraints
        .insert(0, format!("PRIMARY KEY (cycle, organisation, {id_col})"));
    let mut others = Vec::new();
    for (f, p) in fields(kind) {
        let c = Col {
            name: field_column(f),
            ty: field_type(f),
            comment: field_comment(f),
            not_null: false,
        };
        match p {
            Place::Main => {
                if let FieldType::Reference(target) = f.field_type {
                    main.constraints.push(record_fk(&c.name, target, false));
                }
                main.cols.push(c);
            }
            Place::Security => security.cols.push(c),
            Place::Ratings(table) => {
                let FieldType::Ratings { keys, .. } = f.field_type else {
                    continue;
                };
                let sensitive = is_sensitive(kind, f.name);
                let mut t = child(
                    table.strip_prefix(&format!("{name}_")).unwrap_or(&table),
                    format!(
                        "{}{}: {}, one row per {} rated",
                        if sensitive {
                            "OFFICIAL-SENSITIVE: "
                        } else {
                            ""
                        },
                        label,
                        f.label,
                        if keys == "CafOutcome" {
                            "CAF contributing outcome"
                        } else {
                            "category"
                        }
                    ) + if sensitive {
                        ". Written only by a publication with the full profile"
                    } else {
                        ""
                    },
                );
                t.cols.push(key("key", Ty::Text, "What is rated: its id"));
                t.cols
                    .push(col("key_label", Ty::Text, "What is rated: its label"));
                t.cols
                    .push(col("rating", Ty::Text, "The rating (its label)"));
                t.constraints.insert(
                    0,
                    format!("PRIMARY KEY (cycle, organisation, {id_col}, key)"),
                );
                others.push(t);
            }
            Place::Link(table, target) => {
                let target_col = format!("{}_id", target.id());
                let mut t = child(
                    table.strip_prefix(&format!("{name}_")).unwrap_or(&table),
                    format!("{label}: {}, one row per link", f.label),
                );
                t.cols.push(key(
                    &target_col,
                    Ty::Uuid,
                    &format!("The {} ({}.id)", target.label(), target.id()),
                ));
                t.constraints.insert(
                    0,
                    format!("PRIMARY KEY (cycle, organisation, {id_col}, {target_col})"),
                );
                t.constraints.push(record_fk(&target_col, target, true));
                others.push(t);
            }
        }
    }
    main.cols.extend(extra_columns(kind));
    match kind {
        RecordKind::Supplier => main.constraints.push(
            "FOREIGN KEY (cycle, supplier_group) REFERENCES citytools.supplier_group (cycle, key)"
                .into(),
        ),
        RecordKind::Product => main.constraints.push(
            "FOREIGN KEY (cycle, product_group) REFERENCES citytools.product_group (cycle, key)"
                .into(),
        ),
        _ => {}
    }
    let mut out = vec![main];
    if security.cols.len() > 3 {
        out.push(security);
    }
    out.extend(others);
    out
}

/// The bookkeeping, organisation and group tables, before the record tables.
pub(crate) fn core_tables() -> Vec<TableSpec> {
    let cycle_fk = "FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE";
    vec![
        TableSpec {
            name: "publication".into(),
            comment: "One row per cycle published: when, with which profile, from which store, and the hash of what was written (a publication of the same content again changes nothing)".into(),
            cols: vec![
                key("cycle", Ty::Text, "The return cycle, such as 2026-27"),
                key("published_at", Ty::Timestamptz, "When this content was published"),
                key("profile", Ty::Text, "Who the publication is for: full, committee or open"),
                key("marking", Ty::Text, "Its protective marking: OFFICIAL or OFFICIAL-SENSITIVE"),
                key("source", Ty::Text, "The file it was published from (LOTI's central store or a returns file), by name"),
                key("source_hash", Ty::Text, "SHA-256 of the rows published (every table's, in order), with the profile"),
                key("organisations", Ty::BigInt, "Organisations with a return in the cycle"),
                key("made_by", Ty::Text, "The City Tools version that published it"),
            ],
            constraints: vec!["PRIMARY KEY (cycle)".into()],
        },
        TableSpec {
            name: "organisation".into(),
            comment: "Every organisation any publication names (shared by the cycles)".into(),
            cols: vec![
                key("id", Ty::Text, "The organisation's id: scheme and code, such as gss:E09000007"),
                key("scheme", Ty::Text, "The code's scheme: gss (ONS GSS codes) or another"),
                key("code", Ty::Text, "The organisation's code in its scheme"),
                key("name", Ty::Text, "The organisation's name"),
            ],
            constraints: vec!["PRIMARY KEY (id)".into()],
        },
        TableSpec {
            name: "organisation_return".into(),
            comment: "Returns status: one row per organisation expected or with a return in the cycle, with the bundle its current return came from".into(),
            cols: {
                let mut c = Vec::from(org_cols());
                c.extend([
                    key("received", Ty::Bool, "Whether LOTI holds a return from it for the cycle"),
                    col("received_at", Ty::Timestamptz, "When its current return's bundle was accepted"),
                    col("sequence", Ty::BigInt, "The bundle's sequence number (each new bundle of an organisation counts up)"),
                    col("signer_key_id", Ty::Text, "The id of the key that signed the bundle"),
                    col("validated", Ty::Bool, "Whether the return passed validation"),
                    col("records", Ty::BigInt, "Records in the return"),
                    col("waiting_in_quarantine", Ty::Bool, "Whether a bundle from it waits in quarantine (an unconfirmed key)"),
                ]);
                c
            },
            constraints: vec![
                "PRIMARY KEY (cycle, organisation)".into(),
                cycle_fk.into(),
                "FOREIGN KEY (organisation) REFERENCES citytools.organisation".into(),
            ],
        },
        TableSpec {
            name: "supplier_group".into(),
            comment: "Suppliers as matched across organisations (by Companies House number or PPON, name, listed or confirmed alias): one row per supplier however many organisations report it".into(),
            cols: vec![
                key("cycle", Ty::Text, "The return cycle"),
                key("key", Ty::Text, "Stable key: ch:01628868, ppon:PMZV-7732-XXTT or name:civica"),
                key("name", Ty::Text, "The spelling most organisations use"),
                col("companies_house", Ty::Text, "Companies House numbers seen (separated by \"; \")"),
                col("ppon", Ty::Text, "PPONs seen (separated by \"; \")"),
                col("spellings", Ty::Text, "Every spelling seen (separated by \"; \")"),
                key("organisations", Ty::BigInt, "Organisations that report it"),
                col("matched_by", Ty::Text, "Why the records were put together (separated by \"; \")"),
            ],
            constraints: vec!["PRIMARY KEY (cycle, key)".into(), cycle_fk.into()],
        },
        TableSpec {
            name: "product_group".into(),
            comment: "Products as matched across organisations: one row per product however many organisations use it".into(),
            cols: vec![
                key("cycle", Ty::Text, "The return cycle"),
                key("key", Ty::Text, "Stable key, such as product:civica app"),
                key("name", Ty::Text, "The spelling most organisations use"),
                col("supplier_group", Ty::Text, "Its manufacturer, where the records name one (supplier_group.key)"),
                col("spellings", Ty::Text, "Every spelling seen (separated by \"; \")"),
                key("organisations", Ty::BigInt, "Organisations that report it"),
                col("matched_by", Ty::Text, "Why the records were put together (separated by \"; \")"),
            ],
            constraints: vec![
                "PRIMARY KEY (cycle, key)".into(),
                cycle_fk.into(),
                "FOREIGN KEY (cycle, supplier_group) REFERENCES citytools.supplier_group (cycle, key)".into(),
            ],
        },
    ]
}

/// The committee workbook's sheets published as tables: (sheet title, table, comment).
pub(crate) const SHEET_TABLES: [(&str, &str, &str); 10] = [
    (
        "Readiness",
        "readiness",
        "Readiness: one row per organisation (certificates, ICO ratings; counts from sensitive answers unless open; CAF ratings only in full), as the workbook's Readiness sheet",
    ),
    (
        "Joint procurement windows",
        "joint_window",
        "Joint procurement windows: contracts of several organisations sharing a product, supplier or service area whose decisions fall close together, ranked by annual value",
    ),
    (
        "Decision dates",
        "decision_date",
        "Decision dates: one row per contract, with the last date to act and why",
    ),
    (
        "Supplier concentration",
        "concentration",
        "Supplier concentration: per scope (every contract, or a service area), top-10 shares and HHI",
    ),
    (
        "Supplier shares",
        "supplier_share",
        "Supplier shares: each supplier's contracts and annual value per scope",
    ),
    (
        "CAF heatmap",
        "caf_heatmap",
        "CAF heatmap: outcomes achieved, partially and not achieved per CAF principle (all organisations together unless full; not published as open)",
    ),
    (
        "ICO heatmap",
        "ico_heatmap",
        "ICO heatmap: each organisation's ICO self-assessment ratings",
    ),
    (
        "Certificates",
        "certificate",
        "Certificates: Cyber Essentials and PSN per organisation, with their state",
    ),
    (
        "Systems out of support",
        "support",
        "Systems out of support per organisation (their names only in full)",
    ),
    (
        "Skills pairs",
        "skills_pair",
        "Skills pairs: organisations that could support each other, ranked",
    ),
];

/// A sheet column's name in its table: lower case, words joined by `_`, `pct` for `%`, at
/// most 63 bytes (PostgreSQL's limit).
pub(crate) fn sheet_column(header: &str) -> String {
    let mut out = String::new();
    for c in header.replace('%', " pct ").chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let mut out = out.trim_end_matches('_').to_string();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "c_");
    }
    out.truncate(63);
    out
}

/// One sheet column as the migration declares it: header, name and type (from the values
/// the sheet holds for the London data set, money as pence).
pub(crate) struct SheetCol {
    pub(crate) name: String,
    pub(crate) ty: Ty,
    pub(crate) comment: String,
}

/// A sheet's table from its columns.
pub(crate) fn sheet_table(table: &str, comment: &str, cols: &[SheetCol]) -> TableSpec {
    let mut c = vec![
        key("cycle", Ty::Text, "The return cycle"),
        key(
            "row_number",
            Ty::BigInt,
            "The row's place on the workbook's sheet (1 = first)",
        ),
    ];
    c.extend(cols.iter().map(|s| Col {
        name: s.name.clone(),
        ty: s.ty,
        comment: s.comment.clone(),
        not_null: false,
    }));
    TableSpec {
        name: table.into(),
        comment: comment.into(),
        cols: c,
        constraints: vec![
            "PRIMARY KEY (cycle, row_number)".into(),
            "FOREIGN KEY (cycle) REFERENCES citytools.publication ON DELETE CASCADE".into(),
        ],
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `CREATE TABLE` and `COMMENT ON` statements of a table.
pub(crate) fn render_table(t: &TableSpec, out: &mut String) {
    out.push_str(&format!("CREATE TABLE {SCHEMA}.{} (\n", t.name));
    let mut lines: Vec<String> = t
        .cols
        .iter()
        .map(|c| {
            format!(
                "    \"{}\" {}{}",
                c.name,
                c.ty.sql(),
                if c.not_null { " NOT NULL" } else { "" }
            )
        })
        .collect();
    lines.extend(t.constraints.iter().map(|c| format!("    {c}")));
    out.push_str(&lines.join(",\n"));
    out.push_str("\n);\n");
    out.push_str(&format!(
        "COMMENT ON TABLE {SCHEMA}.{} IS {};\n",
        t.name,
        quote(&t.comment)
    ));
    for c in &t.cols {
        out.push_str(&format!(
            "COMMENT ON COLUMN {SCHEMA}.{}.\"{}\" IS {};\n",
            t.name,
            c.name,
            quote(&c.comment)
        ));
    }
    out.push('\n');
}

/// Every table in creation order: core tables, record tables, then the sheets' tables.
pub(crate) fn all_tables(sheets: &[TableSpec]) -> Vec<TableSpec> {
    let mut out = core_tables();
    for kind in KIND_ORDER {
        out.extend(record_tables(kind));
    }
    out.extend(sheets.iter().cloned());
    out
}

/// Migration 1 as SQL, from the questionnaire and the given sheet tables.
pub(crate) fn render_v1(sheets: &[TableSpec]) -> String {
    let mut out = String::from(
        "-- citytools schema, version 1: LOTI's returns of a cycle as the committee workbook shows them.\n\
         -- Written by City Tools from its questionnaire and workbook sheets (publish/postgres/schema.rs);\n\
         -- applied once, in the transaction of the first publication. Never edit: add a migration.\n\n",
    );
    out.push_str(&format!(
        "CREATE SCHEMA {SCHEMA};\nCOMMENT ON SCHEMA {SCHEMA} IS 'City Tools: LOTI''s published returns and their analysis, one publication per cycle';\n\n"
    ));
    out.push_str(&format!(
        "CREATE TABLE {SCHEMA}.schema_migration (\n    version integer PRIMARY KEY,\n    name text NOT NULL,\n    applied_at timestamptz NOT NULL DEFAULT now()\n);\n\
         COMMENT ON TABLE {SCHEMA}.schema_migration IS 'The migrations applied to this schema; a database of a newer version than City Tools knows is refused untouched';\n\
         COMMENT ON COLUMN {SCHEMA}.schema_migration.version IS 'The migration''s number';\n\
         COMMENT ON COLUMN {SCHEMA}.schema_migration.name IS 'The migration''s file name';\n\
         COMMENT ON COLUMN {SCHEMA}.schema_migration.applied_at IS 'When it was applied';\n\n"
    ));
    for t in all_tables(sheets) {
        render_table(&t, &mut out);
    }
    out.push_str(VIEWS);
    out
}

/// The views for BI tools, with their comments.
const VIEWS: &str = r#"CREATE VIEW citytools.pipeline AS
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
"#;

/// The type a sheet column gets in the migration, from the values it holds.
pub(crate) fn inferred_type(values: impl Iterator<Item = crate::export::Value>) -> Ty {
    let mut ty: Option<Ty> = None;
    for v in values {
        let t = match v {
            crate::export::Value::Empty => continue,
            crate::export::Value::Text(_) => Ty::Text,
            crate::export::Value::Int(_) | crate::export::Value::Money(_) => Ty::BigInt,
            crate::export::Value::Number(_) => Ty::Double,
            crate::export::Value::Date(_) => Ty::Date,
            crate::export::Value::Bool(_) => Ty::Bool,
        };
        ty = Some(match (ty, t) {
            (None, t) => t,
            (Some(a), b) if a == b => a,
            (Some(Ty::BigInt), Ty::Double) | (Some(Ty::Double), Ty::BigInt) => Ty::Double,
            _ => Ty::Text,
        });
    }
    ty.unwrap_or(Ty::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_columns_are_plain_names() {
        assert_eq!(
            sheet_column("Top 10 share of value (%)"),
            "top_10_share_of_value_pct"
        );
        assert_eq!(sheet_column("HHI (contracts)"), "hhi_contracts");
        assert_eq!(sheet_column("ICO: Accountability"), "ico_accountability");
        assert_eq!(sheet_column("2nd"), "c_2nd");
        assert!(sheet_column(&"x".repeat(90)).len() <= 63);
    }

    #[test]
    fn sensitive_fields_go_to_security_or_rating_tables_only() {
        for kind in KIND_ORDER {
            for (f, p) in fields(kind) {
                if is_sensitive(kind, f.name.split('.').next().unwrap_or(f.name)) {
                    assert!(
                        matches!(p, Place::Security | Place::Ratings(_)),
                        "{}.{}",
                        kind.id(),
                        f.name
                    );
                }
            }
        }
    }
}
