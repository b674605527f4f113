//! Collaboration analysis through the API. [`Store::analysis`] reads the current return of
//! every organisation for a cycle from LOTI's central store (with the alias decisions analysts
//! made); [`Analysis::from_returns_file`] reads the same from a JSON file of returns (for
//! example the synthetic London data set in `fixtures/london/`). The [`Analysis`] then answers
//! each view — normalisation, shared products, decision dates, joint-procurement windows,
//! concentration, readiness, skills — by calling the pure functions in `analysis`. Alias
//! decisions are written to the central store, one transaction each.

use super::{Context, Error, ErrorKind, Location, Store, parse_cycle};
use crate::analysis::progress::Receipt;
use crate::analysis::{self, AliasRule, Index, OrgReturn, names};
use crate::domain::enums::{RecordKind, ReviewState};
use crate::domain::records::RecordData;
use crate::domain::values::IsoDate;
use crate::store::{AliasRow, Tx};
use serde::Serialize;
use std::path::Path;
use uuid::Uuid;

pub use crate::analysis::concentration::{
    ConcentrationReport, ConcentrationSlice, HhiBand, SatisfactionPoint, SupplierShare,
};
pub use crate::analysis::dates::{DecisionFlag, DecisionOptions, Urgency};
pub use crate::analysis::decisions::{
    ContractDecision, JointWindow, WindowContract, WindowGrouping, WindowOptions,
};
pub use crate::analysis::entities::{AliasSuggestion, Entity, EntityMember};
pub use crate::analysis::products::{ProductOptions, ProductUse, SharedProduct};
pub use crate::analysis::readiness::{
    CafCell, CafRow, CertificateRow, CertificateState, IcoRow, ReadinessOptions, ReadinessReport,
    SupportRow, UnsupportedSystem,
};
pub use crate::analysis::skills::{SkillOptions, SkillPair};
pub use crate::analysis::{AliasKind, AnalysisFilter, AnalysisReport};

/// The longest lead time or window accepted, in months (10 years).
const MAX_MONTHS: u32 = 120;

/// Suppliers and products as matched across organisations, with suggestions to decide.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NormalisationReport {
    pub cycle: String,
    /// Most organisations first.
    pub suppliers: Vec<Entity>,
    pub products: Vec<Entity>,
    pub suggestions: Vec<AliasSuggestion>,
}

/// An analyst's decision about two names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AliasDecisionDto {
    pub id: Uuid,
    pub kind: AliasKind,
    /// The two normalised names.
    pub name_a: String,
    pub name_b: String,
    /// The names as the analyst saw them.
    pub label_a: String,
    pub label_b: String,
    pub confirmed: bool,
    pub cycle: String,
    pub decided_by: String,
    pub decided_at: String,
    pub note: String,
    /// `false` once a later decision on the same pair replaced it.
    pub current: bool,
}

/// One cycle's returns, ready to analyse.
#[derive(Debug, Clone)]
pub struct Analysis {
    cycle: String,
    orgs: Vec<OrgReturn>,
    rules: Vec<AliasRule>,
}

fn invalid(field: &str, message: String) -> Error {
    Error::new(ErrorKind::Validation, message).at(Location::Record {
        table: "analysis".into(),
        record: None,
        field: Some(field.into()),
    })
}

fn check_decision(o: &DecisionOptions) -> Result<(), Error> {
    if o.lead_months > MAX_MONTHS {
        return Err(invalid(
            "lead_months",
            format!(
                "a lead time of {} months is more than 10 years",
                o.lead_months
            ),
        ));
    }
    Ok(())
}

pub(super) fn check_windows(o: &WindowOptions) -> Result<(), Error> {
    check_decision(&o.decision)?;
    if o.window_months == 0 || o.window_months > MAX_MONTHS {
        return Err(invalid(
            "window_months",
            format!(
                "the window must be between 1 and {MAX_MONTHS} months (got {})",
                o.window_months
            ),
        ));
    }
    if o.min_organisations < 2 {
        return Err(invalid(
            "min_organisations",
            "a joint window needs at least 2 organisations".into(),
        ));
    }
    if o.group_by.is_empty() {
        return Err(invalid(
            "group_by",
            "choose at least one grouping: product, supplier or service_area".into(),
        ));
    }
    Ok(())
}

fn check_readiness(o: &ReadinessOptions) -> Result<(), Error> {
    if o.within_days > 3650 {
        return Err(invalid(
            "within_days",
            format!("{} days is more than 10 years", o.within_days),
        ));
    }
    Ok(())
}

fn rule(r: &AliasRow) -> Option<AliasRule> {
    Some(AliasRule {
        kind: AliasKind::from_id(&r.kind)?,
        a: r.name_a.clone(),
        b: r.name_b.clone(),
        confirmed: r.decision == "confirmed",
    })
}

fn decision_dto(r: &AliasRow) -> AliasDecisionDto {
    AliasDecisionDto {
        id: Uuid::parse_str(&r.id).unwrap_or_default(),
        kind: AliasKind::from_id(&r.kind).unwrap_or(AliasKind::Supplier),
        name_a: r.name_a.clone(),
        name_b: r.name_b.clone(),
        label_a: r.label_a.clone(),
        label_b: r.label_b.clone(),
        confirmed: r.decision == "confirmed",
        cycle: r.cycle_id.clone(),
        decided_by: r.decided_by.clone(),
        decided_at: r.decided_at.clone(),
        note: r.note.clone(),
        current: r.superseded_by.is_none(),
    }
}

/// Reads every organisation's current records for `cycle` and the current alias decisions.
pub(super) fn read_input(tx: &Tx<'_>, cycle: &str) -> Result<Analysis, Error> {
    let c = parse_cycle(cycle)?;
    let mut orgs = Vec::new();
    for r in tx.returns()?.into_iter().filter(|r| r.cycle == c) {
        let records = tx
            .records(r.id, None, false)?
            .into_iter()
            .filter(|x| x.review_state != ReviewState::Retired)
            .map(|x| (x.id, x.data))
            .collect();
        orgs.push(OrgReturn {
            organisation: r.organisation.id(),
            name: r.organisation.name.clone(),
            records,
        });
    }
    Ok(Analysis {
        cycle: c.to_string(),
        orgs,
        rules: current_rules(tx)?,
    })
}

/// The alias decisions in force (not replaced by a later one), as rules.
pub(super) fn current_rules(tx: &Tx<'_>) -> Result<Vec<AliasRule>, Error> {
    Ok(tx
        .alias_decisions()?
        .iter()
        .filter(|r| r.superseded_by.is_none())
        .filter_map(rule)
        .collect())
}

impl Store {
    /// The analysis of one cycle in LOTI's central store: every organisation's current return
    /// and the alias decisions made so far.
    pub fn analysis(&mut self, cycle: &str) -> Result<Analysis, Error> {
        self.require_central("analysis needs LOTI's central store")?;
        let a = self.db.read(|tx| read_input(tx, cycle))?;
        if a.orgs.is_empty() {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("the central store has no returns for cycle {}", a.cycle),
            ));
        }
        Ok(a)
    }

    /// Every alias decision, oldest first (replaced ones too, marked `current: false`).
    pub fn alias_decisions(&mut self) -> Result<Vec<AliasDecisionDto>, Error> {
        self.require_central("analysis needs LOTI's central store")?;
        let rows = self.db.read(|tx| tx.alias_decisions())?;
        Ok(rows.iter().map(decision_dto).collect())
    }

    /// Confirms (`confirmed = true`) or rejects the alias suggestion `suggestion_id` of `cycle`
    /// (from [`Analysis::suggestions`]). The decision is kept and reused in later cycles.
    pub fn decide_alias(
        &mut self,
        cycle: &str,
        suggestion_id: &str,
        confirmed: bool,
        note: &str,
        ctx: &Context,
    ) -> Result<AliasDecisionDto, Error> {
        self.require_central("analysis needs LOTI's central store")?;
        let id = suggestion_id.trim().to_ascii_lowercase();
        self.db.write(|tx| {
            let a = read_input(tx, cycle)?;
            let s = a
                .suggestions()
                .into_iter()
                .find(|s| s.id == id)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::NotFound,
                        format!(
                            "there is no alias suggestion '{suggestion_id}' for cycle {} (list them with `city analysis aliases suggest`)",
                            a.cycle
                        ),
                    )
                    .at(Location::Record {
                        table: "alias_decision".into(),
                        record: Some(suggestion_id.to_string()),
                        field: None,
                    })
                })?;
            record_decision(
                tx,
                &a.cycle,
                s.kind,
                (&s.a_normalised, &s.a_name),
                (&s.b_normalised, &s.b_name),
                confirmed,
                note,
                ctx,
            )
        })
    }

    /// Confirms or rejects that two names (as written) are the same supplier or product,
    /// whether or not they were suggested.
    #[allow(clippy::too_many_arguments)]
    pub fn decide_alias_names(
        &mut self,
        cycle: &str,
        kind: AliasKind,
        name_a: &str,
        name_b: &str,
        confirmed: bool,
        note: &str,
        ctx: &Context,
    ) -> Result<AliasDecisionDto, Error> {
        self.require_central("analysis needs LOTI's central store")?;
        let cycle = parse_cycle(cycle)?.to_string();
        let norm = |n: &str| match kind {
            AliasKind::Supplier => names::supplier_key(n),
            AliasKind::Product => names::product_key(n),
        };
        let (a, b) = (norm(name_a), norm(name_b));
        if a.is_empty() || b.is_empty() {
            return Err(invalid("name", "give both names".into()));
        }
        if a == b {
            return Err(invalid(
                "name",
                format!("'{name_a}' and '{name_b}' already match (both read as '{a}')"),
            ));
        }
        self.db.write(|tx| {
            record_decision(
                tx,
                &cycle,
                kind,
                (&a, name_a),
                (&b, name_b),
                confirmed,
                note,
                ctx,
            )
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn record_decision(
    tx: &Tx<'_>,
    cycle: &str,
    kind: AliasKind,
    a: (&str, &str),
    b: (&str, &str),
    confirmed: bool,
    note: &str,
    ctx: &Context,
) -> Result<AliasDecisionDto, Error> {
    if note.chars().count() > 1000 || note.chars().any(|c| c.is_control() && c != '\n') {
        return Err(invalid(
            "note",
            "the note must be 1000 characters or fewer, without control characters".into(),
        ));
    }
    let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    let row = AliasRow {
        id: Uuid::new_v4().to_string(),
        kind: kind.id().into(),
        name_a: a.0.into(),
        name_b: b.0.into(),
        label_a: a.1.trim().into(),
        label_b: b.1.trim().into(),
        decision: if confirmed { "confirmed" } else { "rejected" }.into(),
        cycle_id: cycle.into(),
        decided_by: ctx.actor.clone(),
        decided_at: crate::store::rows_ts(ctx.now),
        note: note.trim().into(),
        superseded_by: None,
    };
    let current = tx.alias_decisions()?.into_iter().find(|r| {
        r.superseded_by.is_none()
            && r.kind == row.kind
            && r.name_a == row.name_a
            && r.name_b == row.name_b
    });
    if let Some(old) = current {
        if old.decision == row.decision {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "'{}' and '{}' were already {} by {} on {}",
                    row.label_a, row.label_b, row.decision, old.decided_by, old.decided_at
                ),
            ));
        }
        tx.supersede_alias_decision(&old.id, &row.id)?;
    }
    tx.insert_alias_decision(&row)?;
    Ok(decision_dto(&row))
}

/// A returns file as read: the cycle, its closing date and each organisation's live records
/// (records marked `retired` left out) with when it was received.
pub(super) struct ReturnsFile {
    pub(super) cycle: String,
    pub(super) closes: Option<IsoDate>,
    pub(super) orgs: Vec<OrgReturn>,
    pub(super) receipts: Vec<Receipt>,
}

/// Reads a JSON file of returns: `{"cycle": "2026-27", "closes": "2026-12-01" (optional),
/// "organisations": [{"organisation": "gss:E09000007", "name": "Camden", "received_at":
/// "2026-11-20" (optional), "records": [{"id": UUID, "kind": "system", "review_state":
/// "confirmed" (optional), "data": {…}}]}]}`. Every record is parsed and validated as an edit
/// would be; the first problem is reported with the organisation and record.
pub(super) fn read_returns_file(path: &Path) -> Result<ReturnsFile, Error> {
    let file_loc = || Location::File {
        file: path.display().to_string(),
        sheet: None,
        row: None,
        column: None,
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read {}: {e}", path.display()),
        )
        .at(file_loc())
    })?;
    let mut v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::new(
            ErrorKind::Validation,
            format!("{} is not valid JSON: {e}", path.display()),
        )
        .at(file_loc())
    })?;
    let bad = |m: String| Error::new(ErrorKind::Validation, m).at(file_loc());
    let cycle = v["cycle"]
        .as_str()
        .ok_or_else(|| bad(format!("{}: 'cycle' is missing", path.display())))?;
    let cycle = parse_cycle(cycle)?.to_string();
    let closes = match v["closes"].as_str() {
        Some(d) => {
            Some(IsoDate::parse(d).map_err(|m| bad(format!("{}: 'closes': {m}", path.display())))?)
        }
        None => None,
    };
    let mut orgs = Vec::new();
    let mut receipts = Vec::new();
    // Each record's fields are taken out of the document, not copied.
    for o in v["organisations"].as_array_mut().into_iter().flatten() {
        let org = o["organisation"].as_str().unwrap_or_default().to_string();
        let name = o["name"].as_str().unwrap_or(&org).to_string();
        if org.is_empty() {
            return Err(bad(format!(
                "{}: an organisation has no 'organisation' id",
                path.display()
            )));
        }
        let day = |key: &str| -> Result<Option<IsoDate>, Error> {
            match o[key].as_str() {
                Some(t) => IsoDate::parse(t.get(..10).unwrap_or(t))
                    .map(Some)
                    .map_err(|m| bad(format!("{}: {org}: '{key}': {m}", path.display()))),
                None => Ok(None),
            }
        };
        let mut receipt = Receipt {
            first: day("received_at")?,
            last: day("last_received_at")?,
            not_reviewed: 0,
        };
        receipt.last = receipt.last.or(receipt.first);
        let mut records = Vec::new();
        for r in o["records"].as_array_mut().into_iter().flatten() {
            let id = r["id"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
                .ok_or_else(|| {
                    bad(format!(
                        "{}: {org}: a record has no valid 'id'",
                        path.display()
                    ))
                })?;
            let kind = r["kind"]
                .as_str()
                .and_then(RecordKind::from_id)
                .ok_or_else(|| {
                    bad(format!(
                        "{}: {org}: record {id} has no valid 'kind'",
                        path.display()
                    ))
                })?;
            let mut data = RecordData::from_json(kind, r["data"].take()).map_err(|i| {
                bad(format!(
                    "{}: {org}: {} {id} field '{}': {}",
                    path.display(),
                    kind.id(),
                    i.field,
                    i.message
                ))
            })?;
            data.normalise();
            if let Some(i) = data.validate().first() {
                return Err(bad(format!(
                    "{}: {org}: {} {id} field '{}': {}",
                    path.display(),
                    kind.id(),
                    i.field,
                    i.message
                )));
            }
            let state = match r["review_state"].as_str() {
                Some(s) => Some(ReviewState::from_id(s).ok_or_else(|| {
                    bad(format!(
                        "{}: {org}: record {id} has no valid 'review_state'",
                        path.display()
                    ))
                })?),
                None => None,
            };
            match state {
                Some(ReviewState::Retired) => continue,
                Some(ReviewState::ToReview) => receipt.not_reviewed += 1,
                _ => {}
            }
            records.push((id, data));
        }
        orgs.push(OrgReturn {
            organisation: org,
            name,
            records,
        });
        receipts.push(receipt);
    }
    if orgs.is_empty() {
        return Err(bad(format!("{}: no organisations", path.display())));
    }
    Ok(ReturnsFile {
        cycle,
        closes,
        orgs,
        receipts,
    })
}

impl Analysis {
    /// Reads a JSON file of returns: `{"cycle": "2026-27", "organisations": [{"organisation":
    /// "gss:E09000007", "name": "Camden", "records": [{"id": UUID, "kind": "system", "data":
    /// {…}}]}]}` (optionally with the cycle's `closes` date, each organisation's `received_at`
    /// and each record's `review_state`; records marked `retired` are left out). Every record is
    /// parsed and validated as an edit would be; the first problem is reported with the
    /// organisation and record. No alias decisions apply.
    pub fn from_returns_file(path: &Path) -> Result<Analysis, Error> {
        let f = read_returns_file(path)?;
        Ok(Analysis {
            cycle: f.cycle,
            orgs: f.orgs,
            rules: Vec::new(),
        })
    }

    pub(crate) fn index(&self) -> Index<'_> {
        Index::build(&self.orgs, &self.rules)
    }

    /// An analysis of returns already read, with the alias rules in force: the committee
    /// workbook reads the store once for its data sheets and its analysis sheets.
    pub(crate) fn from_parts(cycle: String, orgs: Vec<OrgReturn>, rules: Vec<AliasRule>) -> Self {
        Analysis { cycle, orgs, rules }
    }

    /// The returns analysed, given back (so the workbook can write them without a copy).
    pub(crate) fn into_orgs(self) -> Vec<OrgReturn> {
        self.orgs
    }

    /// The views the committee workbook shows: [`Analysis::report`] without the shared products
    /// and alias suggestions (left empty), which the workbook has no sheet for. Alias
    /// suggestions compare names pairwise and were a quarter of the workbook's work.
    pub(crate) fn workbook_report(
        &self,
        windows: &WindowOptions,
        readiness: &ReadinessOptions,
    ) -> Result<AnalysisReport, Error> {
        self.views(windows, readiness, false)
    }

    /// The cycle analysed.
    pub fn cycle(&self) -> &str {
        &self.cycle
    }

    /// How many organisations' returns are analysed.
    pub fn organisations(&self) -> usize {
        self.orgs.len()
    }

    /// Suppliers and products matched across organisations, and suggestions to decide.
    pub fn normalisation(&self) -> NormalisationReport {
        let res = self.index().res;
        let suggestions = analysis::entities::suggestions(&res, &self.rules);
        let order = |v: &mut Vec<Entity>| {
            v.sort_by(|a, b| {
                b.organisations
                    .len()
                    .cmp(&a.organisations.len())
                    .then(a.key.cmp(&b.key))
            })
        };
        let (mut suppliers, mut products) = (res.suppliers, res.products);
        order(&mut suppliers);
        order(&mut products);
        NormalisationReport {
            cycle: self.cycle.clone(),
            suppliers,
            products,
            suggestions,
        }
    }

    /// Alias suggestions for an analyst, best first.
    pub fn suggestions(&self) -> Vec<AliasSuggestion> {
        analysis::entities::suggestions(&self.index().res, &self.rules)
    }

    /// Products used by several organisations, side by side.
    pub fn shared_products(
        &self,
        options: &ProductOptions,
        filter: &AnalysisFilter,
    ) -> Result<Vec<SharedProduct>, Error> {
        Ok(analysis::products::shared(&self.index(), options, filter))
    }

    /// Every contract's decision date, soonest first.
    pub fn decisions(
        &self,
        options: &DecisionOptions,
        filter: &AnalysisFilter,
    ) -> Result<Vec<ContractDecision>, Error> {
        check_decision(options)?;
        Ok(analysis::decisions::decision_rows(
            &self.index(),
            options,
            filter,
        ))
    }

    /// Joint-procurement windows, most money at stake first.
    pub fn windows(
        &self,
        options: &WindowOptions,
        filter: &AnalysisFilter,
    ) -> Result<Vec<JointWindow>, Error> {
        check_windows(options)?;
        Ok(analysis::decisions::windows(&self.index(), options, filter))
    }

    /// Supplier shares, top-10 share and HHI, overall and per service area; suppliers versus
    /// satisfaction per organisation.
    pub fn concentration(&self, filter: &AnalysisFilter) -> Result<ConcentrationReport, Error> {
        Ok(analysis::concentration::report(&self.index(), filter))
    }

    /// CAF and ICO heatmaps, certificate expiry and unsupported systems.
    pub fn readiness(&self, options: &ReadinessOptions) -> Result<ReadinessReport, Error> {
        check_readiness(options)?;
        Ok(analysis::readiness::report(&self.index(), options))
    }

    /// Peer-support pairs, strongest first.
    pub fn skills(&self, options: &SkillOptions) -> Result<Vec<SkillPair>, Error> {
        Ok(analysis::skills::pairs(&self.index(), options))
    }

    /// Every view at once.
    pub fn report(
        &self,
        windows: &WindowOptions,
        readiness: &ReadinessOptions,
    ) -> Result<AnalysisReport, Error> {
        self.views(windows, readiness, true)
    }

    /// The views over one index; the shared products and alias suggestions only when `all`
    /// (left empty otherwise).
    fn views(
        &self,
        windows: &WindowOptions,
        readiness: &ReadinessOptions,
        all_views: bool,
    ) -> Result<AnalysisReport, Error> {
        check_windows(windows)?;
        check_readiness(readiness)?;
        let ix = self.index();
        let all = AnalysisFilter::default();
        Ok(AnalysisReport {
            cycle: self.cycle.clone(),
            organisations: self.orgs.len(),
            window_options: windows.clone(),
            shared_products: if all_views {
                analysis::products::shared(&ix, &ProductOptions::default(), &all)
            } else {
                Vec::new()
            },
            decisions: analysis::decisions::decision_rows(&ix, &windows.decision, &all),
            windows: analysis::decisions::windows(&ix, windows, &all),
            concentration: analysis::concentration::report(&ix, &all),
            readiness: analysis::readiness::report(&ix, readiness),
            skills: analysis::skills::pairs(&ix, &SkillOptions::default()),
            suggestions: if all_views {
                analysis::entities::suggestions(&ix.res, &self.rules)
            } else {
                Vec::new()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::values::IsoDate;

    /// The workbook's report is the full report less the two views the workbook does not show.
    #[test]
    fn the_workbook_report_is_the_report_without_suggestions_and_shared_products() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/london/returns.json");
        let a = Analysis::from_returns_file(&path).unwrap();
        let windows = WindowOptions::default();
        let date = IsoDate::parse("2026-11-24").unwrap();
        let readiness = ReadinessOptions {
            include_sensitive: true,
            ..ReadinessOptions::as_of(date)
        };
        let mut full = a.report(&windows, &readiness).unwrap();
        assert!(!full.suggestions.is_empty() && !full.shared_products.is_empty());
        full.suggestions.clear();
        full.shared_products.clear();
        assert_eq!(a.workbook_report(&windows, &readiness).unwrap(), full);
    }
}
