//! The questionnaire as data: for each record type, its fields in form order with a label, a
//! hint, a type, whether the record can be saved without it, and whether it is sensitive. Front
//! ends build forms, templates and data dictionaries from this; none of them hard-code fields.

use super::caf::CafOutcome;
use super::enums::{Enumeration, IcoCategory, RecordKind};
use super::records::is_sensitive;

/// What kind of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldType {
    Text,
    LongText,
    Integer,
    /// Integer pence; shown and typed in pounds.
    Money,
    Date,
    Boolean,
    /// One option of the named enumeration.
    Choice(&'static str),
    /// The id of another record of this kind.
    Reference(RecordKind),
    /// Ids of other records of this kind.
    References(RecordKind),
    /// A list of short texts.
    TextList,
    /// A rating (of the named enumeration) for each key of another enumeration.
    Ratings {
        keys: &'static str,
        rating: &'static str,
    },
}

/// One field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    /// The JSON name; nested fields use one dot (`gdpr.lawful_basis`).
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    pub(crate) hint: &'static str,
    pub(crate) field_type: FieldType,
    /// The record cannot be saved without it.
    pub(crate) required: bool,
}

const fn f(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    field_type: FieldType,
) -> Field {
    Field {
        name,
        label,
        hint,
        field_type,
        required: false,
    }
}

const fn req(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    field_type: FieldType,
) -> Field {
    Field {
        name,
        label,
        hint,
        field_type,
        required: true,
    }
}

use FieldType::*;

const SYSTEM: &[Field] = &[
    req(
        "name",
        "System name",
        "As your staff know it, for example 'Mosaic' or 'Civica APP'",
        Text,
    ),
    f("description", "What it is used for", "", LongText),
    f(
        "product_id",
        "Product",
        "Choose from your products, or add the product first",
        Reference(RecordKind::Product),
    ),
    f(
        "supplier_id",
        "Supplier",
        "Who you buy it from",
        Reference(RecordKind::Supplier),
    ),
    f(
        "service_area",
        "Service area",
        "The service it mainly supports",
        Choice("ServiceArea"),
    ),
    f(
        "lgsl_code",
        "LGSL code (optional)",
        "The Local Government Service List number, if you know it",
        Integer,
    ),
    f(
        "category",
        "Frontline, corporate or infrastructure",
        "",
        Choice("SystemCategory"),
    ),
    f("hosting", "Where it is hosted", "", Choice("Hosting")),
    f("users", "Number of users", "Roughly", Integer),
    f(
        "criticality",
        "How critical it is",
        "",
        Choice("Criticality"),
    ),
    f(
        "support_status",
        "Support status",
        "Of the version you run",
        Choice("SupportStatus"),
    ),
    f(
        "end_of_support",
        "End of support",
        "When the supplier stops supporting your version",
        Date,
    ),
    f(
        "satisfaction",
        "Satisfaction",
        "How well it meets your needs",
        Choice("Satisfaction"),
    ),
    f("personal_data", "Holds personal data", "", Boolean),
    f(
        "special_category_data",
        "Holds special category data",
        "Health, ethnicity, religion and so on",
        Boolean,
    ),
    f(
        "internet_facing",
        "Internet-facing",
        "Reachable from the internet",
        Boolean,
    ),
    f(
        "mfa",
        "Multi-factor authentication",
        "",
        Choice("MfaCoverage"),
    ),
    f(
        "patched_within_14_days",
        "High and critical fixes within 14 days",
        "",
        Boolean,
    ),
    f("backups", "Backups", "", Choice("BackupState")),
    f(
        "last_restore_test",
        "Last restore test",
        "When a restore from backup was last tested",
        Date,
    ),
    f(
        "known_vulnerabilities",
        "Known unfixed vulnerabilities",
        "Kept out of open exports",
        LongText,
    ),
    f(
        "gdpr.ropa_entry",
        "In the record of processing",
        "Article 30",
        Boolean,
    ),
    f(
        "gdpr.lawful_basis",
        "Lawful basis",
        "Article 6(1)",
        Choice("LawfulBasis"),
    ),
    f(
        "gdpr.special_category_condition",
        "Article 9 condition",
        "For special category data",
        Text,
    ),
    f(
        "gdpr.dpia_status",
        "DPIA",
        "Data protection impact assessment",
        Choice("DpiaStatus"),
    ),
    f(
        "gdpr.art28_terms",
        "Article 28 terms in the processor contract",
        "",
        Choice("Art28Terms"),
    ),
    f(
        "gdpr.transfers",
        "Transfers outside the UK",
        "",
        Choice("TransferMechanism"),
    ),
    f(
        "gdpr.data_location",
        "Where the data is held",
        "For example 'UK (London)'",
        Text,
    ),
    f(
        "caf",
        "CAF objectives B and C",
        "For critical systems: each contributing outcome",
        Ratings {
            keys: "CafOutcome",
            rating: "CafRating",
        },
    ),
    f("notes", "Notes", "", LongText),
];

const CONTRACT: &[Field] = &[
    req("title", "Contract title", "", Text),
    f("reference", "Reference", "Your contract reference", Text),
    f(
        "supplier_id",
        "Supplier",
        "",
        Reference(RecordKind::Supplier),
    ),
    f(
        "system_ids",
        "Systems it covers",
        "",
        References(RecordKind::System),
    ),
    f("start_date", "Start date", "", Date),
    f(
        "end_date",
        "End date",
        "Leave blank for a rolling contract",
        Date,
    ),
    f(
        "latest_end_date",
        "Latest end date with all extensions",
        "",
        Date,
    ),
    f("rolling", "Rolling contract", "No fixed end date", Boolean),
    f("notice_period_days", "Notice period in days", "", Integer),
    f("auto_renews", "Renews automatically", "", Boolean),
    f("annual_value", "Annual value", "In pounds", Money),
    f(
        "total_value",
        "Total value",
        "In pounds, over the whole contract",
        Money,
    ),
    f(
        "procurement_route",
        "How it was procured",
        "",
        Choice("ProcurementRoute"),
    ),
    f(
        "framework_ref",
        "Framework reference",
        "For example RM1557.14",
        Text,
    ),
    f("notes", "Notes", "", LongText),
];

const SUPPLIER: &[Field] = &[
    req("name", "Supplier name", "", Text),
    f(
        "companies_house",
        "Companies House number",
        "8 characters, for example 01234567",
        Text,
    ),
    f(
        "ppon",
        "PPON",
        "Procurement Act organisation number, for example PMZV-7732-XXTT",
        Text,
    ),
    f(
        "no_uk_identifier",
        "Has no UK identifier",
        "For example an overseas company or a sole trader",
        Boolean,
    ),
    f("sme", "Small or medium-sized enterprise", "", Boolean),
    f(
        "aliases",
        "Other names",
        "Spellings seen in registers",
        TextList,
    ),
    f("notes", "Notes", "", LongText),
];

const PRODUCT: &[Field] = &[
    req("name", "Product name", "", Text),
    f(
        "supplier_id",
        "Made by",
        "",
        Reference(RecordKind::Supplier),
    ),
    f("notes", "Notes", "", LongText),
];

const SKILL: &[Field] = &[
    req("area", "Capability", "", Choice("SkillArea")),
    f("level", "Level", "", Choice("SkillLevel")),
    f(
        "can_offer_support",
        "Could support other organisations",
        "",
        Boolean,
    ),
    f("wants_support", "Would like support", "", Boolean),
    f("notes", "Notes", "", LongText),
];

const GDPR: &[Field] = &[
    f(
        "dpo_appointed",
        "A data protection officer is appointed",
        "",
        Boolean,
    ),
    f("ico_registration", "ICO registration number", "", Text),
    f(
        "ratings",
        "ICO accountability framework",
        "Rate each category",
        Ratings {
            keys: "IcoCategory",
            rating: "IcoRating",
        },
    ),
    f("notes", "Notes", "", LongText),
];

const CYBER: &[Field] = &[
    f(
        "cyber_essentials",
        "Cyber Essentials",
        "",
        Choice("CeStatus"),
    ),
    f(
        "cyber_essentials_expiry",
        "Cyber Essentials certificate expires",
        "",
        Date,
    ),
    f("psn", "PSN compliance", "", Choice("PsnStatus")),
    f("psn_expiry", "PSN certificate expires", "", Date),
    f("last_it_health_check", "Last IT health check", "", Date),
    f(
        "caf",
        "CAF objectives A and D",
        "Each contributing outcome",
        Ratings {
            keys: "CafOutcome",
            rating: "CafRating",
        },
    ),
    f("notes", "Notes", "", LongText),
];

/// The fields of a record kind, in form order.
pub(crate) fn fields(kind: RecordKind) -> &'static [Field] {
    match kind {
        RecordKind::System => SYSTEM,
        RecordKind::Contract => CONTRACT,
        RecordKind::Supplier => SUPPLIER,
        RecordKind::Product => PRODUCT,
        RecordKind::Skill => SKILL,
        RecordKind::Gdpr => GDPR,
        RecordKind::Cyber => CYBER,
    }
}

/// Whether a field (top-level name, or nested `outer.inner`) is sensitive.
pub(crate) fn field_is_sensitive(kind: RecordKind, name: &str) -> bool {
    let top = name.split('.').next().unwrap_or(name);
    is_sensitive(kind, top)
}

/// The keys a `Ratings` field rates, for this kind (CAF outcomes differ by level).
pub(crate) fn rating_keys(kind: RecordKind, keys: &str) -> Vec<(&'static str, &'static str)> {
    match keys {
        "CafOutcome" => {
            let level: Vec<CafOutcome> = if kind == RecordKind::System {
                CafOutcome::system_level().collect()
            } else {
                CafOutcome::organisation_level().collect()
            };
            level.into_iter().map(|o| (o.id(), o.label())).collect()
        }
        "IcoCategory" => IcoCategory::options(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::all_enumerations;
    use crate::domain::records::RecordData;
    use std::collections::BTreeSet;

    #[test]
    fn every_field_of_every_record_is_described_exactly_once() {
        for kind in RecordKind::ALL {
            let template = RecordData::empty(*kind).to_json();
            let mut expected = BTreeSet::new();
            for (k, v) in template.as_object().unwrap() {
                match v.as_object() {
                    // Nested groups (gdpr) are described field by field; maps (caf, ratings) whole.
                    Some(inner) if !inner.is_empty() => {
                        for ik in inner.keys() {
                            expected.insert(format!("{k}.{ik}"));
                        }
                    }
                    _ => {
                        expected.insert(k.clone());
                    }
                }
            }
            let described: Vec<String> = fields(*kind).iter().map(|f| f.name.to_string()).collect();
            let unique: BTreeSet<String> = described.iter().cloned().collect();
            assert_eq!(
                unique.len(),
                described.len(),
                "{kind:?}: a field is described twice"
            );
            assert_eq!(unique, expected, "{kind:?}");
        }
    }

    #[test]
    fn choices_name_real_enumerations_and_sensitivity_follows_the_model() {
        let names: Vec<&str> = all_enumerations().into_iter().map(|(n, _)| n).collect();
        for kind in RecordKind::ALL {
            for field in fields(*kind) {
                if let FieldType::Choice(e) | FieldType::Ratings { rating: e, .. } =
                    field.field_type
                {
                    assert!(names.contains(&e), "{kind:?}.{}: {e}", field.name);
                }
            }
        }
        assert!(field_is_sensitive(RecordKind::System, "caf"));
        assert!(field_is_sensitive(RecordKind::System, "mfa"));
        assert!(!field_is_sensitive(RecordKind::System, "gdpr.lawful_basis"));
        assert_eq!(rating_keys(RecordKind::System, "CafOutcome").len(), 27);
        assert_eq!(rating_keys(RecordKind::Cyber, "CafOutcome").len(), 12);
        assert_eq!(rating_keys(RecordKind::Gdpr, "IcoCategory").len(), 10);
    }
}
