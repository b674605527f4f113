//! Frontline, corporate or infrastructure, in register words. Decisions written down here and
//! tested:
//! - Front office, customer / resident / public facing, service delivery, line of business →
//!   Frontline; back office, corporate, business support, internal → Corporate;
//!   infrastructure, infra, platform, network, technical, security → Infrastructure.
//! - *Both*, *Mixed*, *Other* stay unmapped.

use super::Rule::{self, *};

pub(crate) const TABLE: &[Rule] = &[
    Never("both"),
    Never("mixed"),
    Never("other"),
    Is("front line", "frontline"),
    Is("corp", "corporate"),
    Is("infra", "infrastructure"),
    Has("front office", "frontline"),
    Has("front line", "frontline"),
    Has("frontline", "frontline"),
    Has("customer facing", "frontline"),
    Has("resident facing", "frontline"),
    Has("public facing", "frontline"),
    Has("citizen facing", "frontline"),
    Has("service delivery", "frontline"),
    Has("line of business", "frontline"),
    Has("back office", "corporate"),
    Has("backoffice", "corporate"),
    Has("corporate", "corporate"),
    Has("business support", "corporate"),
    Has("internal", "corporate"),
    Has("infrastructure", "infrastructure"),
    Has("infra", "infrastructure"),
    Has("platform", "infrastructure"),
    Has("network", "infrastructure"),
    Has("technical", "infrastructure"),
    Has("security", "infrastructure"),
];

#[cfg(test)]
mod tests {
    use super::super::testing::{check, table_is_well_formed};

    #[test]
    fn register_words_for_system_categories() {
        table_is_well_formed("SystemCategory");
        check(
            "SystemCategory",
            &[
                ("Frontline", "frontline"),
                ("Front line", "frontline"),
                ("Front office", "frontline"),
                ("Customer facing", "frontline"),
                ("Line of business", "frontline"),
                ("Corporate", "corporate"),
                ("Back office", "corporate"),
                ("Back-office", "corporate"),
                ("Infrastructure", "infrastructure"),
                ("Infra", "infrastructure"),
                ("Network", "infrastructure"),
            ],
            &["Both", "Mixed", "Other", "Application"],
        );
    }
}
