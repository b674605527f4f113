//! Completeness of a return: for each task-list section, whether it is not started, in
//! progress or completed, and the list of what is still missing with the reason. Pure: it reads
//! the live records of one return and nothing else.

use super::caf::CafOutcome;
use super::enums::*;
use super::records::*;
use std::collections::HashMap;
use uuid::Uuid;

/// A live record of a return, as completeness sees it.
#[derive(Debug, Clone)]
pub(crate) struct LiveRecord {
    pub id: Uuid,
    pub review_state: ReviewState,
    pub data: RecordData,
}

/// One thing still missing from a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MissingItem {
    pub kind: RecordKind,
    pub record: Option<Uuid>,
    pub field: Option<String>,
    pub message: String,
}

/// A section's state and what it still needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SectionReport {
    pub section: SectionId,
    pub state: SectionState,
    pub missing: Vec<MissingItem>,
}

struct Section {
    id: SectionId,
    started: bool,
    missing: Vec<MissingItem>,
}

impl Section {
    fn new(id: SectionId) -> Self {
        Section {
            id,
            started: false,
            missing: Vec::new(),
        }
    }
    fn whole(&mut self, kind: RecordKind, message: impl Into<String>) {
        self.missing.push(MissingItem {
            kind,
            record: None,
            field: None,
            message: message.into(),
        });
    }
    fn field(&mut self, r: &LiveRecord, field: &str, message: String) {
        self.missing.push(MissingItem {
            kind: r.data.kind(),
            record: Some(r.id),
            field: Some(field.to_string()),
            message,
        });
    }
    fn review(&mut self, r: &LiveRecord) {
        if r.review_state == ReviewState::ToReview {
            self.missing.push(MissingItem {
                kind: r.data.kind(),
                record: Some(r.id),
                field: None,
                message: format!(
                    "{} '{}': still to review (carried forward, or imported with answers left blank)",
                    r.data.kind().label(),
                    r.data.label()
                ),
            });
        }
    }
    fn report(self) -> SectionReport {
        let state = if !self.started {
            SectionState::NotStarted
        } else if self.missing.is_empty() {
            SectionState::Completed
        } else {
            SectionState::InProgress
        };
        SectionReport {
            section: self.id,
            state,
            missing: self.missing,
        }
    }
}

/// Computes every section's report for the live records of one return.
pub(crate) fn assess(records: &[LiveRecord]) -> Vec<SectionReport> {
    let active: Vec<&LiveRecord> = records
        .iter()
        .filter(|r| r.review_state != ReviewState::Retired)
        .collect();
    let ids: HashMap<Uuid, RecordKind> = active.iter().map(|r| (r.id, r.data.kind())).collect();
    let of = |k: RecordKind| active.iter().copied().filter(move |r| r.data.kind() == k);

    vec![
        systems(of(RecordKind::System)),
        contracts(of(RecordKind::Contract), &ids),
        suppliers(
            of(RecordKind::Supplier).chain(of(RecordKind::Product)),
            &ids,
        ),
        skills(of(RecordKind::Skill)),
        gdpr(of(RecordKind::Gdpr).next(), of(RecordKind::System)),
        cyber(of(RecordKind::Cyber).next(), of(RecordKind::System)),
    ]
}

fn need<T>(s: &mut Section, r: &LiveRecord, field: &str, value: &Option<T>, what: &str) {
    if value.is_none() {
        s.field(
            r,
            field,
            format!("{} '{}': {what}", r.data.kind().label(), r.data.label()),
        );
    }
}

fn dangling(s: &mut Section, r: &LiveRecord, ids: &HashMap<Uuid, RecordKind>) {
    for (field, kind, id) in r.data.references() {
        if ids.get(&id) != Some(&kind) {
            s.field(
                r,
                field,
                format!(
                    "{} '{}': links to a {} that has been deleted or retired",
                    r.data.kind().label(),
                    r.data.label(),
                    kind.label().to_lowercase()
                ),
            );
        }
    }
}

fn systems<'a>(list: impl Iterator<Item = &'a LiveRecord>) -> SectionReport {
    let mut s = Section::new(SectionId::Systems);
    for r in list {
        s.started = true;
        s.review(r);
        let RecordData::System(x) = &r.data else {
            continue;
        };
        need(
            &mut s,
            r,
            "service_area",
            &x.service_area,
            "choose the service area",
        );
        need(
            &mut s,
            r,
            "category",
            &x.category,
            "say whether it is frontline, corporate or infrastructure",
        );
        need(&mut s, r, "hosting", &x.hosting, "say where it is hosted");
        need(
            &mut s,
            r,
            "criticality",
            &x.criticality,
            "say how critical it is",
        );
        need(
            &mut s,
            r,
            "support_status",
            &x.support_status,
            "give its support status",
        );
        if matches!(
            x.support_status,
            Some(SupportStatus::Supported | SupportStatus::ExtendedSupport)
        ) {
            need(
                &mut s,
                r,
                "end_of_support",
                &x.end_of_support,
                "give the end-of-support date",
            );
        }
        need(
            &mut s,
            r,
            "satisfaction",
            &x.satisfaction,
            "rate satisfaction (or choose don't know)",
        );
        need(
            &mut s,
            r,
            "personal_data",
            &x.personal_data,
            "say whether it holds personal data",
        );
        need(
            &mut s,
            r,
            "internet_facing",
            &x.internet_facing,
            "say whether it is internet-facing",
        );
        need(
            &mut s,
            r,
            "mfa",
            &x.mfa,
            "say who uses multi-factor authentication",
        );
        need(&mut s, r, "backups", &x.backups, "describe its backups");
    }
    if !s.started {
        s.whole(RecordKind::System, "Add the systems the organisation runs");
    }
    s.report()
}

fn contracts<'a>(
    list: impl Iterator<Item = &'a LiveRecord>,
    ids: &HashMap<Uuid, RecordKind>,
) -> SectionReport {
    let mut s = Section::new(SectionId::Contracts);
    for r in list {
        s.started = true;
        s.review(r);
        dangling(&mut s, r, ids);
        let RecordData::Contract(c) = &r.data else {
            continue;
        };
        need(
            &mut s,
            r,
            "supplier_id",
            &c.supplier_id,
            "choose the supplier",
        );
        need(
            &mut s,
            r,
            "start_date",
            &c.start_date,
            "give the start date",
        );
        if c.rolling != Some(true) {
            need(
                &mut s,
                r,
                "end_date",
                &c.end_date,
                "give the end date (or mark it rolling)",
            );
        }
        need(
            &mut s,
            r,
            "notice_period_days",
            &c.notice_period_days,
            "give the notice period in days",
        );
        need(
            &mut s,
            r,
            "annual_value",
            &c.annual_value,
            "give the annual value",
        );
        need(
            &mut s,
            r,
            "procurement_route",
            &c.procurement_route,
            "say how it was procured",
        );
        if c.system_ids.is_empty() {
            s.field(
                r,
                "system_ids",
                format!("Contract '{}': link the systems it covers", r.data.label()),
            );
        }
    }
    if !s.started {
        s.whole(RecordKind::Contract, "Add the contracts for your systems");
    }
    s.report()
}

fn suppliers<'a>(
    list: impl Iterator<Item = &'a LiveRecord>,
    ids: &HashMap<Uuid, RecordKind>,
) -> SectionReport {
    let mut s = Section::new(SectionId::Suppliers);
    let mut any_supplier = false;
    for r in list {
        s.started = true;
        s.review(r);
        dangling(&mut s, r, ids);
        match &r.data {
            RecordData::Supplier(x) => {
                any_supplier = true;
                if x.companies_house.is_none()
                    && x.ppon.is_none()
                    && x.no_uk_identifier != Some(true)
                {
                    s.field(
                        r,
                        "companies_house",
                        format!(
                            "Supplier '{}': give its Companies House number or PPON, or say it has no UK identifier",
                            x.name
                        ),
                    );
                }
            }
            RecordData::Product(p) => {
                need(
                    &mut s,
                    r,
                    "supplier_id",
                    &p.supplier_id,
                    "choose who makes it",
                );
            }
            _ => {}
        }
    }
    if !any_supplier {
        s.whole(RecordKind::Supplier, "Add your suppliers");
    }
    s.report()
}

fn skills<'a>(list: impl Iterator<Item = &'a LiveRecord>) -> SectionReport {
    let mut s = Section::new(SectionId::Skills);
    let mut rated = Vec::new();
    for r in list {
        s.started = true;
        s.review(r);
        let RecordData::Skill(k) = &r.data else {
            continue;
        };
        need(&mut s, r, "level", &k.level, "choose the level");
        if let Some(a) = k.area {
            rated.push(a);
        }
    }
    if s.started {
        for a in SkillArea::ALL {
            if !rated.contains(a) {
                s.whole(RecordKind::Skill, format!("Rate '{}'", a.label()));
            }
        }
    } else {
        s.whole(RecordKind::Skill, "Rate your team's capabilities");
    }
    s.report()
}

fn gdpr<'a>(
    org: Option<&LiveRecord>,
    systems: impl Iterator<Item = &'a LiveRecord>,
) -> SectionReport {
    let mut s = Section::new(SectionId::Gdpr);
    match org {
        Some(r) => {
            s.started = true;
            s.review(r);
            if let RecordData::Gdpr(g) = &r.data {
                need(
                    &mut s,
                    r,
                    "dpo_appointed",
                    &g.dpo_appointed,
                    "say whether a DPO is appointed",
                );
                for c in IcoCategory::ALL {
                    if !g.ratings.contains_key(c) {
                        s.field(
                            r,
                            &format!("ratings.{}", c.id()),
                            format!("GDPR readiness: rate '{}'", c.label()),
                        );
                    }
                }
            }
        }
        None => s.whole(
            RecordKind::Gdpr,
            "Rate the ten ICO accountability categories",
        ),
    }
    for r in systems {
        let RecordData::System(x) = &r.data else {
            continue;
        };
        if x.personal_data != Some(true) {
            continue;
        }
        let g = &x.gdpr;
        if g != &SystemGdpr::default() {
            s.started = true;
        }
        need(
            &mut s,
            r,
            "gdpr.ropa_entry",
            &g.ropa_entry,
            "say whether it is in the record of processing",
        );
        need(
            &mut s,
            r,
            "gdpr.lawful_basis",
            &g.lawful_basis,
            "give the lawful basis",
        );
        if x.special_category_data == Some(true) {
            need(
                &mut s,
                r,
                "gdpr.special_category_condition",
                &g.special_category_condition,
                "give the Article 9 condition",
            );
        }
        need(
            &mut s,
            r,
            "gdpr.dpia_status",
            &g.dpia_status,
            "give the DPIA status",
        );
        need(
            &mut s,
            r,
            "gdpr.art28_terms",
            &g.art28_terms,
            "say whether the processor contract has Article 28 terms",
        );
        need(
            &mut s,
            r,
            "gdpr.transfers",
            &g.transfers,
            "say whether data leaves the UK",
        );
    }
    s.report()
}

fn cyber<'a>(
    org: Option<&LiveRecord>,
    systems: impl Iterator<Item = &'a LiveRecord>,
) -> SectionReport {
    let mut s = Section::new(SectionId::Cyber);
    match org {
        Some(r) => {
            s.started = true;
            s.review(r);
            if let RecordData::Cyber(c) = &r.data {
                need(
                    &mut s,
                    r,
                    "cyber_essentials",
                    &c.cyber_essentials,
                    "give the Cyber Essentials status",
                );
                if matches!(
                    c.cyber_essentials,
                    Some(CeStatus::CyberEssentials | CeStatus::CyberEssentialsPlus)
                ) {
                    need(
                        &mut s,
                        r,
                        "cyber_essentials_expiry",
                        &c.cyber_essentials_expiry,
                        "give the certificate's expiry date",
                    );
                }
                need(&mut s, r, "psn", &c.psn, "give the PSN compliance status");
                if c.psn == Some(PsnStatus::Valid) {
                    need(
                        &mut s,
                        r,
                        "psn_expiry",
                        &c.psn_expiry,
                        "give the PSN certificate's expiry date",
                    );
                }
                let unrated = CafOutcome::organisation_level()
                    .filter(|o| !c.caf.contains_key(o))
                    .count();
                if unrated > 0 {
                    s.field(
                        r,
                        "caf",
                        format!(
                            "Cyber readiness: rate {unrated} CAF outcomes of objectives A and D"
                        ),
                    );
                }
            }
        }
        None => s.whole(
            RecordKind::Cyber,
            "Answer the organisation's cyber readiness questions",
        ),
    }
    for r in systems {
        let RecordData::System(x) = &r.data else {
            continue;
        };
        if x.criticality != Some(Criticality::Critical) {
            continue;
        }
        if !x.caf.is_empty() {
            s.started = true;
        }
        let unrated = CafOutcome::system_level()
            .filter(|o| !x.caf.contains_key(o))
            .count();
        if unrated > 0 {
            s.field(
                r,
                "caf",
                format!(
                    "Critical system '{}': rate {unrated} CAF outcomes of objectives B and C",
                    x.name
                ),
            );
        }
    }
    s.report()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(kind: RecordKind, v: serde_json::Value) -> LiveRecord {
        LiveRecord {
            id: Uuid::new_v4(),
            review_state: ReviewState::New,
            data: RecordData::from_json(kind, v).unwrap(),
        }
    }

    fn state(reports: &[SectionReport], id: SectionId) -> &SectionReport {
        reports.iter().find(|r| r.section == id).unwrap()
    }

    #[test]
    fn an_empty_return_has_every_section_not_started() {
        let r = assess(&[]);
        assert_eq!(r.len(), 6);
        assert!(
            r.iter()
                .all(|s| s.state == SectionState::NotStarted && !s.missing.is_empty())
        );
    }

    #[test]
    fn a_bare_system_is_in_progress_and_says_what_is_missing() {
        let sys = rec(RecordKind::System, json!({"name":"Civica APP"}));
        let r = assess(std::slice::from_ref(&sys));
        let s = state(&r, SectionId::Systems);
        assert_eq!(s.state, SectionState::InProgress);
        let fields: Vec<_> = s.missing.iter().filter_map(|m| m.field.clone()).collect();
        assert!(fields.contains(&"service_area".to_string()));
        assert!(s.missing.iter().all(|m| m.record == Some(sys.id)));
        assert!(s.missing[0].message.contains("Civica APP"));
    }

    #[test]
    fn a_full_system_completes_and_to_review_blocks_completion() {
        let full = json!({"name":"Mosaic","service_area":"esd:58","category":"frontline","hosting":"saas",
            "criticality":"high","support_status":"supported","end_of_support":"2030-01-01","satisfaction":"4",
            "personal_data":false,"internet_facing":true,"mfa":"all_users","backups":"supplier_managed"});
        let mut sys = rec(RecordKind::System, full);
        assert_eq!(
            state(&assess(std::slice::from_ref(&sys)), SectionId::Systems).state,
            SectionState::Completed
        );
        sys.review_state = ReviewState::ToReview;
        let r = assess(std::slice::from_ref(&sys));
        let s = state(&r, SectionId::Systems);
        assert_eq!(s.state, SectionState::InProgress);
        assert!(s.missing[0].message.contains("still to review"));
        sys.review_state = ReviewState::Retired;
        assert_eq!(
            state(&assess(&[sys]), SectionId::Systems).state,
            SectionState::NotStarted
        );
    }

    #[test]
    fn contracts_need_links_and_flag_deleted_targets() {
        let c = rec(
            RecordKind::Contract,
            json!({"title":"Hosting","system_ids":[Uuid::new_v4()]}),
        );
        let r = assess(&[c]);
        let s = state(&r, SectionId::Contracts);
        assert!(
            s.missing
                .iter()
                .any(|m| m.message.contains("deleted or retired"))
        );
    }

    #[test]
    fn personal_data_systems_feed_the_gdpr_section() {
        let sys = rec(
            RecordKind::System,
            json!({"name":"Mosaic","personal_data":true,"special_category_data":true}),
        );
        let r = assess(&[sys]);
        let g = state(&r, SectionId::Gdpr);
        assert!(
            g.missing
                .iter()
                .any(|m| m.field.as_deref() == Some("gdpr.special_category_condition"))
        );
        assert!(g.missing.iter().any(|m| m.message.contains("ICO")));
    }
}
