//! The readiness enumerations a register may carry as columns (MFA, backups, lawful basis,
//! DPIA, Article 28 terms, transfers, Cyber Essentials, PSN, CAF and ICO ratings): one table
//! each. Decisions written down here and tested:
//! - `N/A` is the option *Not applicable* where the enumeration has one, else not known.
//! - `Yes` / `No` answer only the questions they answer unambiguously (Article 28 terms); for
//!   MFA, backups, DPIA and certificates a bare yes says too little and stays unmapped.
//! - RAG colours map the CAF and ICO scales (Red not achieved / not implemented, Amber
//!   partial, Green achieved / implemented): those scales are written in RAG by NCSC and ICO
//!   themselves.

use super::Rule::{self, *};

pub(crate) const MFA: &[Rule] = &[
    Never("yes"),
    Never("y"),
    Never("partial"),
    Is("n a", "not_applicable"),
    Is("no", "none"),
    Is("n", "none"),
    Is("all", "all_users"),
    Is("everyone", "all_users"),
    Is("admins", "admins_only"),
    Has("all users", "all_users"),
    Has("all staff", "all_users"),
    Has("admin", "admins_only"),
    Has("admins", "admins_only"),
    Has("administrators", "admins_only"),
    Has("privileged", "admins_only"),
    Has("no mfa", "none"),
];

pub(crate) const BACKUPS: &[Rule] = &[
    Never("yes"),
    Never("y"),
    Is("no", "none"),
    Is("n", "none"),
    Is("supplier", "supplier_managed"),
    Has("immutable", "offline_or_immutable"),
    Has("offline", "offline_or_immutable"),
    Has("air gapped", "offline_or_immutable"),
    Has("tape", "offline_or_immutable"),
    Has("online", "online_only"),
    Has("supplier", "supplier_managed"),
    Has("vendor", "supplier_managed"),
    Has("managed by", "supplier_managed"),
    Has("no backup", "none"),
    Has("no backups", "none"),
];

pub(crate) const LAWFUL_BASIS: &[Rule] = &[
    Is("6 1 a", "consent"),
    Is("6 1 b", "contract"),
    Is("6 1 c", "legal_obligation"),
    Is("6 1 d", "vital_interests"),
    Is("6 1 e", "public_task"),
    Is("6 1 f", "legitimate_interests"),
    Is("statutory", "legal_obligation"),
    Is("statutory duty", "legal_obligation"),
    Is("public interest", "public_task"),
    Has("consent", "consent"),
    Has("legal obligation", "legal_obligation"),
    Has("public task", "public_task"),
    Has("official authority", "public_task"),
    Has("vital interest", "vital_interests"),
    Has("vital interests", "vital_interests"),
    Has("legitimate interest", "legitimate_interests"),
    Has("legitimate interests", "legitimate_interests"),
    Has("contract", "contract"),
];

pub(crate) const DPIA: &[Rule] = &[
    Never("yes"),
    Never("y"),
    Is("no", "not_started"),
    Is("done", "complete"),
    Is("completed", "complete"),
    Is("in draft", "in_progress"),
    Is("draft", "in_progress"),
    Is("not needed", "not_required"),
    Is("n a", "not_required"),
    Has("not required", "not_required"),
    Has("screened out", "not_required"),
    Has("review due", "review_due"),
    Has("needs review", "review_due"),
    Has("overdue", "review_due"),
    Has("not started", "not_started"),
    Has("in progress", "in_progress"),
    Has("underway", "in_progress"),
    Has("complete", "complete"),
    Has("completed", "complete"),
    Has("approved", "complete"),
];

pub(crate) const ART28: &[Rule] = &[
    Is("y", "yes"),
    Is("n", "no"),
    Is("n a", "not_applicable"),
    Is("partly", "partial"),
    Is("partially", "partial"),
    Has("no processor", "not_applicable"),
    Has("not a processor", "not_applicable"),
];

pub(crate) const TRANSFERS: &[Rule] = &[
    Is("no", "none"),
    Is("n", "none"),
    Is("uk only", "none"),
    Is("uk", "none"),
    Is("sccs", "idta"),
    Has("uk only", "none"),
    Has("no transfers", "none"),
    Has("adequacy", "adequacy"),
    Has("idta", "idta"),
    Has("uk addendum", "idta"),
    Has("international data transfer", "idta"),
];

pub(crate) const CYBER_ESSENTIALS: &[Rule] = &[
    Never("yes"),
    Never("y"),
    Is("no", "none"),
    Is("n", "none"),
    Is("ce", "ce"),
    Is("ce plus", "ce_plus"),
    Is("ce and", "ce_plus"),
    Is("cyber essentials plus", "ce_plus"),
    Has("plus", "ce_plus"),
    Has("not certified", "none"),
    Has("cyber essentials", "ce"),
];

pub(crate) const PSN: &[Rule] = &[
    Never("yes"),
    Never("y"),
    Is("n a", "not_applicable"),
    Is("current", "valid"),
    Is("compliant", "valid"),
    Is("lapsed", "expired"),
    Has("not connected", "not_applicable"),
    Has("expired", "expired"),
    Has("lapsed", "expired"),
    Has("in progress", "in_progress"),
    Has("submitted", "in_progress"),
    Has("valid", "valid"),
];

pub(crate) const CAF_RATING: &[Rule] = &[
    Is("red", "not_achieved"),
    Is("amber", "partially_achieved"),
    Is("green", "achieved"),
    Is("na", "not_achieved"),
    Is("pa", "partially_achieved"),
    Is("a", "achieved"),
    Is("partial", "partially_achieved"),
    Is("partially", "partially_achieved"),
];

pub(crate) const ICO_RATING: &[Rule] = &[
    Is("red", "not_implemented"),
    Is("amber", "partial"),
    Is("green", "implemented"),
    Is("n a", "not_applicable"),
    Is("partially", "partial"),
    Is("partly", "partial"),
    Is("yes", "implemented"),
    Is("no", "not_implemented"),
    Has("partially", "partial"),
    Has("not yet", "not_implemented"),
    Has("not implemented", "not_implemented"),
    Has("implemented", "implemented"),
];

#[cfg(test)]
mod tests {
    use super::super::testing::{check, table_is_well_formed};

    #[test]
    fn readiness_tables() {
        for set in [
            "MfaCoverage",
            "BackupState",
            "LawfulBasis",
            "DpiaStatus",
            "Art28Terms",
            "TransferMechanism",
            "CeStatus",
            "PsnStatus",
            "CafRating",
            "IcoRating",
        ] {
            table_is_well_formed(set);
        }
        check(
            "MfaCoverage",
            &[
                ("All users", "all_users"),
                ("Admins only", "admins_only"),
                ("No", "none"),
                ("N/A", "not_applicable"),
            ],
            &["Yes", "Partial"],
        );
        check(
            "BackupState",
            &[
                ("Immutable", "offline_or_immutable"),
                ("Online only", "online_only"),
                ("Supplier", "supplier_managed"),
                ("No", "none"),
            ],
            &["Yes"],
        );
        check(
            "LawfulBasis",
            &[
                ("6(1)(e)", "public_task"),
                ("Public task", "public_task"),
                ("Legal obligation", "legal_obligation"),
                ("Statutory", "legal_obligation"),
            ],
            &["Yes", "GDPR"],
        );
        check(
            "DpiaStatus",
            &[
                ("Completed", "complete"),
                ("Not required", "not_required"),
                ("In progress", "in_progress"),
                ("No", "not_started"),
            ],
            &["Yes"],
        );
        check(
            "Art28Terms",
            &[("Y", "yes"), ("No", "no"), ("N/A", "not_applicable")],
            &["Unsure"],
        );
        check(
            "TransferMechanism",
            &[
                ("UK only", "none"),
                ("IDTA", "idta"),
                ("Adequacy", "adequacy"),
            ],
            &["Yes", "EU"],
        );
        check(
            "CeStatus",
            &[
                ("CE+", "ce_plus"),
                ("Cyber Essentials Plus", "ce_plus"),
                ("CE", "ce"),
                ("No", "none"),
            ],
            &["Yes"],
        );
        check(
            "PsnStatus",
            &[
                ("Valid", "valid"),
                ("Expired", "expired"),
                ("Not connected", "not_applicable"),
            ],
            &["Yes"],
        );
        check(
            "CafRating",
            &[
                ("Green", "achieved"),
                ("Amber", "partially_achieved"),
                ("Red", "not_achieved"),
            ],
            &["Blue"],
        );
        check(
            "IcoRating",
            &[
                ("Green", "implemented"),
                ("Partially", "partial"),
                ("N/A", "not_applicable"),
            ],
            &["Blue"],
        );
    }
}
