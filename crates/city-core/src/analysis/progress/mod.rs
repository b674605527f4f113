//! Progress between two survey cycles, per organisation and for London: what came back and
//! when, how readiness moved, which systems and contracts changed, which joint-procurement
//! windows were acted on, and the supplier market and skills then and now. Pure: the input is
//! each cycle's returns as LOTI's central store (or a returns file) holds them, the output
//! plain data that the CLI, the app and the committee workbook show.
//!
//! The rules, each in one place:
//! - An organisation with a return in only one of the two cycles is listed with that state and
//!   nothing else: it is never counted as a change, and it is left out of London's totals and
//!   of the market and skills figures, which compare the organisations that returned both times.
//! - Records are matched by id (a record keeps its UUID when a return is carried forward):
//!   `returns.rs` counts them unchanged, changed, new and retired.
//! - `readiness.rs`: each CAF contributing outcome and ICO category improved / same / worse;
//!   Cyber Essentials and PSN gained / kept / lapsed, held meaning not expired on the cycle's
//!   reference date (its closing date, else the last day of the financial year), as the
//!   readiness view decides it.
//! - `systems.rs`: systems added, retired, newly out of support (by the readiness view's rule),
//!   moved to cloud hosting (SaaS, PaaS or IaaS from anything else answered), products switched
//!   (the same service area, another product — one system's answer changed, or a system
//!   retired and another added in its place).
//! - `contracts.rs`: contracts ended, re-procured (a new contract for the same system or
//!   product), extended (a later end date), joined (a new contract whose supplier and start date
//!   another organisation's new contract shares); last cycle's joint-procurement windows acted
//!   on (re-procured jointly by two or more of their organisations), missed (not, and the first
//!   decision date has passed by this cycle's reference date) or still open.
//! - `market.rs`: supplier shares and HHI, and skills levels, then and now.
//!
//! Sensitive detail (CAF ratings, which systems fell out of support) is kept to the report made
//! with `include_sensitive`: otherwise CAF is London's counts only and those changes are not
//! listed.

mod contracts;
mod market;
mod readiness;
mod returns;
mod systems;

use super::decisions::{self, WindowGrouping, WindowOptions};
use super::entities::{Detail, Nodes};
use super::{AliasRule, AnalysisFilter, Index, OrgReturn};
use crate::domain::enums::string_enum;
use crate::domain::values::IsoDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

pub use market::{
    AreaConcentration, ConcentrationFigures, MarketProgress, ShareChange, SkillLevelCount,
};

/// One cycle's returns, as the progress analysis reads them.
#[derive(Debug, Clone)]
pub(crate) struct CycleReturns {
    pub(crate) cycle: String,
    /// The cycle's closing date, where known.
    pub(crate) closes: Option<IsoDate>,
    /// Live records (retired ones left out), as the other analyses read them.
    pub(crate) orgs: Vec<OrgReturn>,
    /// Parallel to `orgs`.
    pub(crate) receipts: Vec<Receipt>,
}

/// How and when an organisation's return arrived.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Receipt {
    /// The day its first bundle was accepted (`None`: not known, e.g. from a returns file).
    pub(crate) first: Option<IsoDate>,
    /// The day its latest bundle was accepted.
    pub(crate) last: Option<IsoDate>,
    /// Records still marked *to review* (carried forward, never looked at).
    pub(crate) not_reviewed: usize,
}

/// What the progress analysis looks at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ProgressOptions {
    /// The earlier cycle's joint-procurement windows are found with these options.
    pub windows: WindowOptions,
    /// Per-organisation CAF movements and the names of systems newly out of support (the
    /// `full` profile).
    pub include_sensitive: bool,
    /// The earlier cycle's closing date, when the store does not record it.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_closes: Option<IsoDate>,
    /// The later cycle's closing date, when the store does not record it.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_closes: Option<IsoDate>,
}

/// Whether an organisation returned in both cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReturnPair {
    /// A return in both cycles: compared.
    Both,
    /// No return in the earlier cycle: not compared.
    NoReturnThen,
    /// No return in the later cycle: not compared.
    NoReturnNow,
}

impl ReturnPair {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            ReturnPair::Both => "returned both years",
            ReturnPair::NoReturnThen => "no return last year",
            ReturnPair::NoReturnNow => "no return this year",
        }
    }
}

/// One cycle's return of one organisation: when it arrived.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReturnReceipt {
    /// The day its first bundle was accepted, where known.
    pub received_on: Option<IsoDate>,
    /// The day its latest bundle was accepted, where known.
    pub last_received_on: Option<IsoDate>,
    /// Days from the closing date to the first bundle (negative: before it).
    #[ts(type = "number | null")]
    pub days_after_closing: Option<i64>,
    /// Received on or before the closing date; `None` when either date is not known.
    pub on_time: Option<bool>,
    /// Live records in the return.
    pub records: usize,
}

/// Records of the later return against the earlier one, matched by id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordMovement {
    /// In both returns with the same answers.
    pub unchanged: usize,
    /// In both returns, answers changed.
    pub changed: usize,
    /// Only in the later return.
    pub new: usize,
    /// In the earlier return, retired or gone from the later one.
    pub retired: usize,
    /// Still marked *to review* in the later return.
    pub not_reviewed: usize,
}

/// How many ratings moved which way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Movement {
    pub improved: usize,
    pub same: usize,
    pub worse: usize,
    /// Rated in only one of the two returns (or not applicable).
    pub not_compared: usize,
}

/// A certificate from one cycle to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CertificateMove {
    Gained,
    Kept,
    Lapsed,
    /// Held in neither cycle.
    NotHeld,
}

impl CertificateMove {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            CertificateMove::Gained => "gained",
            CertificateMove::Kept => "kept",
            CertificateMove::Lapsed => "lapsed",
            CertificateMove::NotHeld => "not held",
        }
    }
}

/// Certificates across organisations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CertificateCounts {
    pub gained: usize,
    pub kept: usize,
    pub lapsed: usize,
    pub not_held: usize,
}

impl CertificateCounts {
    fn add(&mut self, m: CertificateMove) {
        match m {
            CertificateMove::Gained => self.gained += 1,
            CertificateMove::Kept => self.kept += 1,
            CertificateMove::Lapsed => self.lapsed += 1,
            CertificateMove::NotHeld => self.not_held += 1,
        }
    }
}

/// Systems that changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SystemMovement {
    pub added: usize,
    pub retired: usize,
    pub newly_out_of_support: usize,
    pub moved_to_cloud: usize,
    pub products_switched: usize,
}

/// Contracts that changed, and last cycle's windows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContractMovement {
    /// Ended with no new contract for the same system or product.
    pub ended: usize,
    /// Ended, with a new contract for the same system or product.
    pub reprocured: usize,
    /// The end date moved later.
    pub extended: usize,
    /// New contracts bought with other organisations.
    pub joined: usize,
    /// Last cycle's joint windows acted on jointly (an organisation's: those it joined; London's:
    /// each window once).
    pub windows_acted_on: usize,
    /// Last cycle's joint windows whose decision date passed without joint action (an
    /// organisation's: its own decision date passed; London's: each window once).
    pub windows_missed: usize,
}

/// One organisation's progress. Every comparison is `None` unless it returned both times.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrgProgress {
    pub organisation: String,
    pub name: String,
    pub returns: ReturnPair,
    pub then: Option<ReturnReceipt>,
    pub now: Option<ReturnReceipt>,
    pub records: Option<RecordMovement>,
    /// Contributing outcomes (only with sensitive detail).
    pub caf: Option<Movement>,
    pub ico: Option<Movement>,
    pub cyber_essentials: Option<CertificateMove>,
    pub psn: Option<CertificateMove>,
    pub systems: Option<SystemMovement>,
    pub contracts: Option<ContractMovement>,
    /// Skill areas whose level rose, stayed, fell.
    pub skills: Option<Movement>,
    /// Distinct suppliers of its contracts, then and now.
    pub suppliers_then: Option<usize>,
    pub suppliers_now: Option<usize>,
}

/// London's totals over the organisations that returned both times, and who did not.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProgressTotals {
    /// Organisations compared (returned both times, within the filter).
    pub compared: usize,
    pub returns_then: usize,
    pub returns_now: usize,
    pub on_time_then: usize,
    pub on_time_now: usize,
    pub late_then: usize,
    pub late_now: usize,
    /// Names of organisations with a return last cycle but not this one.
    pub no_return_now: Vec<String>,
    /// Names of organisations with a return this cycle but not last.
    pub no_return_then: Vec<String>,
    pub records: RecordMovement,
    /// Every organisation's contributing outcomes together.
    pub caf: Movement,
    pub ico: Movement,
    pub cyber_essentials: CertificateCounts,
    pub psn: CertificateCounts,
    pub systems: SystemMovement,
    pub contracts: ContractMovement,
    pub skills: Movement,
}

string_enum! {
    /// One kind of change between two returns.
    ChangeKind {
        SystemAdded = "system_added": "System added",
        SystemRetired = "system_retired": "System retired",
        NewlyOutOfSupport = "newly_out_of_support": "Newly out of support",
        MovedToCloud = "moved_to_cloud": "Moved to cloud hosting",
        ProductSwitched = "product_switched": "Product switched",
        ContractEnded = "contract_ended": "Contract ended",
        ContractReprocured = "contract_reprocured": "Contract re-procured",
        ContractExtended = "contract_extended": "Contract extended",
        ContractJoined = "contract_joined": "Contract joined with other organisations",
        CeGained = "ce_gained": "Cyber Essentials gained",
        CeLapsed = "ce_lapsed": "Cyber Essentials lapsed",
        PsnGained = "psn_gained": "PSN compliance gained",
        PsnLapsed = "psn_lapsed": "PSN compliance lapsed",
        CafImproved = "caf_improved": "CAF outcome improved",
        CafWorse = "caf_worse": "CAF outcome worse",
        IcoImproved = "ico_improved": "ICO category improved",
        IcoWorse = "ico_worse": "ICO category worse",
        SkillImproved = "skill_improved": "Skill level rose",
        SkillWorse = "skill_worse": "Skill level fell",
    }
}

/// One change, for the lists beside the counts.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProgressChange {
    pub organisation: String,
    pub organisation_name: String,
    pub kind: ChangeKind,
    /// The kind for people.
    pub kind_label: String,
    /// The system, contract, outcome, category or skill area.
    pub subject: String,
    /// The record changed (the later cycle's, or the earlier one's when it is gone).
    pub record_id: Option<Uuid>,
    pub then: Option<String>,
    pub now: Option<String>,
}

/// What became of one of last cycle's joint-procurement windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WindowOutcome {
    /// Two or more of its organisations re-procured together.
    ActedOn,
    /// Not acted on jointly, and its first decision date has passed.
    Missed,
    /// Its first decision date is still ahead.
    Open,
}

impl WindowOutcome {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            WindowOutcome::ActedOn => "acted on",
            WindowOutcome::Missed => "missed",
            WindowOutcome::Open => "still open",
        }
    }
}

/// One of last cycle's windows and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WindowProgress {
    pub rank: usize,
    pub grouping: WindowGrouping,
    pub group_key: String,
    pub group_name: String,
    pub organisations: Vec<String>,
    pub organisation_names: Vec<String>,
    pub first_decision: IsoDate,
    pub last_decision: IsoDate,
    pub outcome: WindowOutcome,
    /// Organisations that re-procured its contracts together.
    pub joined_organisations: Vec<String>,
}

/// Progress between two cycles.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProgressReport {
    pub from_cycle: String,
    pub to_cycle: String,
    pub from_closes: Option<IsoDate>,
    pub to_closes: Option<IsoDate>,
    /// The dates certificates and support are judged on (closing date, else 31 March).
    pub from_reference: IsoDate,
    pub to_reference: IsoDate,
    pub include_sensitive: bool,
    /// Every organisation with a return in either cycle, by name.
    pub organisations: Vec<OrgProgress>,
    pub london: ProgressTotals,
    /// Each change, organisation by organisation.
    pub changes: Vec<ProgressChange>,
    pub windows: Vec<WindowProgress>,
    pub market: MarketProgress,
}

/// The date a cycle is judged on: its closing date, else the last day of its financial year.
fn reference_date(cycle: &str, closes: Option<IsoDate>) -> IsoDate {
    closes.unwrap_or_else(|| {
        let start: i32 = cycle.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2000);
        IsoDate(chrono::NaiveDate::from_ymd_opt(start + 1, 3, 31).unwrap_or_default())
    })
}

/// The two cycles' organisations, each in both at the same index, and what one run needs,
/// before their suppliers and products are resolved.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub(crate) from: &'a [OrgReturn],
    pub(crate) to: &'a [OrgReturn],
    pub(crate) from_ref: IsoDate,
    pub(crate) to_ref: IsoDate,
    pub(crate) filter: &'a AnalysisFilter,
    pub(crate) include_sensitive: bool,
}

impl Scope<'_> {
    pub(crate) fn change(
        &self,
        org: usize,
        kind: ChangeKind,
        subject: impl Into<String>,
        record_id: Option<Uuid>,
        then: Option<String>,
        now: Option<String>,
    ) -> ProgressChange {
        let o = &self.to[org];
        ProgressChange {
            organisation: o.organisation.clone(),
            organisation_name: o.name.clone(),
            kind,
            kind_label: kind.label().to_string(),
            subject: subject.into(),
            record_id,
            then,
            now,
        }
    }
}

/// The two cycles indexed, each organisation in both at the same index, and what one run needs.
pub(crate) struct Pair<'a> {
    pub(crate) from: Index<'a>,
    pub(crate) to: Index<'a>,
    pub(crate) from_ref: IsoDate,
    pub(crate) to_ref: IsoDate,
    pub(crate) filter: &'a AnalysisFilter,
    pub(crate) include_sensitive: bool,
}

impl<'a> Pair<'a> {
    fn scope(&self) -> Scope<'a> {
        Scope {
            from: self.from.orgs,
            to: self.to.orgs,
            from_ref: self.from_ref,
            to_ref: self.to_ref,
            filter: self.filter,
            include_sensitive: self.include_sensitive,
        }
    }

    pub(crate) fn change(
        &self,
        org: usize,
        kind: ChangeKind,
        subject: impl Into<String>,
        record_id: Option<Uuid>,
        then: Option<String>,
        now: Option<String>,
    ) -> ProgressChange {
        self.scope()
            .change(org, kind, subject, record_id, then, now)
    }
}

/// A record lookup by id for one organisation's return.
pub(crate) fn by_id(o: &OrgReturn) -> HashMap<Uuid, &super::RecordData> {
    o.records.iter().map(|(id, r)| (*id, r)).collect()
}

/// Puts the organisations with a return in both cycles first, in the same order in each, and
/// returns how many there are: [`report_laps`] compares those.
pub(crate) fn align(from: &mut CycleReturns, to: &mut CycleReturns) -> usize {
    let ids_from: BTreeSet<String> = from.orgs.iter().map(|o| o.organisation.clone()).collect();
    let ids_to: BTreeSet<String> = to.orgs.iter().map(|o| o.organisation.clone()).collect();
    let both: BTreeSet<&String> = ids_from.intersection(&ids_to).collect();
    let order = |c: &mut CycleReturns| {
        let receipts = std::mem::take(&mut c.receipts)
            .into_iter()
            .chain(std::iter::repeat_with(Receipt::default));
        let mut pairs: Vec<(OrgReturn, Receipt)> = std::mem::take(&mut c.orgs)
            .into_iter()
            .zip(receipts)
            .collect();
        pairs.sort_by(|a, b| {
            (!both.contains(&a.0.organisation), &a.0.organisation)
                .cmp(&(!both.contains(&b.0.organisation), &b.0.organisation))
        });
        for (o, r) in pairs {
            c.orgs.push(o);
            c.receipts.push(r);
        }
    };
    order(from);
    order(to);
    both.len()
}

/// Compares two cycles [`align`]ed, the first `n` organisations of each being the same.
/// `rules` are the alias decisions in force. `lap` is called with each stage's name as the
/// stage ends (for profiling: the benchmark times the stages in between).
pub(crate) fn report_laps(
    from: &CycleReturns,
    to: &CycleReturns,
    n: usize,
    rules: &[AliasRule],
    options: &ProgressOptions,
    filter: &AnalysisFilter,
    lap: &mut dyn FnMut(&'static str),
) -> ProgressReport {
    let from_closes = from.closes.or(options.from_closes);
    let to_closes = to.closes.or(options.to_closes);
    let from_ref = reference_date(&from.cycle, from_closes);
    let to_ref = reference_date(&to.cycle, to_closes);
    let scope = Scope {
        from: &from.orgs[..n],
        to: &to.orgs[..n],
        from_ref,
        to_ref,
        filter,
        include_sensitive: options.include_sensitive,
    };
    let mut changes = Vec::new();
    let mut rows: Vec<OrgProgress> = Vec::new();
    // Two passes through the organisations, each organisation's two returns at a time, so its
    // records are read from memory once per pass and stay in the caches while every
    // comparison of that pass reads them (stage by stage, at national size, each stage re-read
    // every organisation's records from main memory). The first pass reads the records in full:
    // its suppliers and products gathered for resolution, its systems by id, and the
    // comparisons that need no resolved supplier or product (records, readiness, skills).
    let mut records = Vec::with_capacity(n);
    let mut ready = Vec::with_capacity(n);
    let mut skills_moved = Vec::with_capacity(n);
    let mut skills = market::Skills::default();
    let (mut nodes_from, mut nodes_to) = (Nodes::default(), Nodes::default());
    let (mut systems_from, mut systems_to) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        systems_from.push(Index::gather_org(i, &scope.from[i], &mut nodes_from));
        systems_to.push(Index::gather_org(i, &scope.to[i], &mut nodes_to));
        records.push(returns::records(
            &from.orgs[i],
            &to.orgs[i],
            &to.receipts[i],
        ));
        ready.push(readiness::compare(&scope, i, &mut changes));
        skills_moved.push(skills.org(&scope, i, &mut changes));
    }
    lap("first pass");
    // Keys and names are all progress reads of the entities.
    let pair = Pair {
        from: Index::from_parts(
            scope.from,
            nodes_from.resolve(scope.from, rules, Detail::Grouping),
            systems_from,
        ),
        to: Index::from_parts(
            scope.to,
            nodes_to.resolve(scope.to, rules, Detail::Grouping),
            systems_to,
        ),
        from_ref,
        to_ref,
        filter,
        include_sensitive: options.include_sensitive,
    };
    lap("entities");
    // The second pass reads systems and contracts: each organisation's contracts joined with
    // their systems, suppliers and products (kept for the London-wide stages below), then
    // systems, contracts and distinct suppliers compared.
    let mut sys = Vec::with_capacity(n);
    let mut contracts = contracts::Contracts::default();
    let mut suppliers = Vec::with_capacity(n);
    let (mut facts_from, mut facts_to) = (Vec::new(), Vec::new());
    // Last cycle's contracts' decision dates, for its windows.
    let mut decided = Vec::new();
    for i in 0..n {
        let (a, b) = (facts_from.len(), facts_to.len());
        pair.from.join_org_contracts(i, &mut facts_from);
        pair.to.join_org_contracts(i, &mut facts_to);
        decided.extend(
            facts_from[a..]
                .iter()
                .map(|c| decisions::decided(c.contract, &options.windows)),
        );
        contracts.org(&pair, i, &facts_from[a..], &facts_to[b..], b, &mut changes);
        suppliers.push((
            market::distinct_suppliers(&pair.from, &pair, &facts_from[a..]),
            market::distinct_suppliers(&pair.to, &pair, &facts_to[b..]),
        ));
        sys.push(systems::compare(&pair, i, &mut changes));
    }
    pair.from.set_contracts(facts_from);
    pair.to.set_contracts(facts_to);
    lap("second pass");
    let (con, windows) = contracts.finish(&pair, &options.windows, &decided, &mut changes, lap);
    lap("windows' outcomes");
    let market = market::compare(&pair, skills);
    lap("market");
    let receipt = |c: &CycleReturns, i: usize, closes: Option<IsoDate>| {
        returns::receipt(&c.receipts[i], c.orgs[i].records.len(), closes)
    };
    for i in 0..n {
        let o = &to.orgs[i];
        if !filter.org_matches(&o.organisation) {
            continue;
        }
        rows.push(OrgProgress {
            organisation: o.organisation.clone(),
            name: o.name.clone(),
            returns: ReturnPair::Both,
            then: Some(receipt(from, i, from_closes)),
            now: Some(receipt(to, i, to_closes)),
            records: Some(records[i]),
            caf: options.include_sensitive.then_some(ready[i].caf),
            ico: Some(ready[i].ico),
            cyber_essentials: Some(ready[i].ce),
            psn: Some(ready[i].psn),
            systems: Some(sys[i]),
            contracts: Some(con[i]),
            skills: Some(skills_moved[i]),
            suppliers_then: Some(suppliers[i].0),
            suppliers_now: Some(suppliers[i].1),
        });
    }
    let mut only = |c: &CycleReturns, state: ReturnPair, closes: Option<IsoDate>| {
        for i in n..c.orgs.len() {
            let o = &c.orgs[i];
            if !filter.org_matches(&o.organisation) {
                continue;
            }
            let r = Some(receipt(c, i, closes));
            let (then, now) = match state {
                ReturnPair::NoReturnNow => (r, None),
                _ => (None, r),
            };
            rows.push(OrgProgress {
                organisation: o.organisation.clone(),
                name: o.name.clone(),
                returns: state,
                then,
                now,
                records: None,
                caf: None,
                ico: None,
                cyber_essentials: None,
                psn: None,
                systems: None,
                contracts: None,
                skills: None,
                suppliers_then: None,
                suppliers_now: None,
            });
        }
    };
    only(from, ReturnPair::NoReturnNow, from_closes);
    only(to, ReturnPair::NoReturnThen, to_closes);
    rows.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.organisation.cmp(&b.organisation))
    });
    let london = totals(&rows, &ready, &pair, &windows);
    changes.retain(|c| filter.org_matches(&c.organisation));
    changes.sort_by(|a, b| {
        (&a.organisation_name, a.kind, &a.subject).cmp(&(&b.organisation_name, b.kind, &b.subject))
    });
    lap("rows and totals");
    ProgressReport {
        from_cycle: from.cycle.clone(),
        to_cycle: to.cycle.clone(),
        from_closes,
        to_closes,
        from_reference: from_ref,
        to_reference: to_ref,
        include_sensitive: options.include_sensitive,
        organisations: rows,
        london,
        changes,
        windows,
        market: market.report,
    }
}

fn add(a: &mut Movement, b: &Movement) {
    a.improved += b.improved;
    a.same += b.same;
    a.worse += b.worse;
    a.not_compared += b.not_compared;
}

fn totals(
    rows: &[OrgProgress],
    ready: &[readiness::OrgReadiness],
    pair: &Pair<'_>,
    windows: &[WindowProgress],
) -> ProgressTotals {
    let mut t = ProgressTotals {
        compared: 0,
        returns_then: 0,
        returns_now: 0,
        on_time_then: 0,
        on_time_now: 0,
        late_then: 0,
        late_now: 0,
        no_return_now: Vec::new(),
        no_return_then: Vec::new(),
        records: RecordMovement::default(),
        caf: Movement::default(),
        ico: Movement::default(),
        cyber_essentials: CertificateCounts::default(),
        psn: CertificateCounts::default(),
        systems: SystemMovement::default(),
        contracts: ContractMovement::default(),
        skills: Movement::default(),
    };
    // CAF per organisation may be withheld from the rows; London's count is made from all.
    for (i, o) in pair.to.orgs.iter().enumerate() {
        if pair.filter.org_matches(&o.organisation) {
            add(&mut t.caf, &ready[i].caf);
        }
    }
    for r in rows {
        for (rec, then) in [(&r.then, true), (&r.now, false)] {
            let Some(rec) = rec else { continue };
            let (n, on, late) = if then {
                (&mut t.returns_then, &mut t.on_time_then, &mut t.late_then)
            } else {
                (&mut t.returns_now, &mut t.on_time_now, &mut t.late_now)
            };
            *n += 1;
            match rec.on_time {
                Some(true) => *on += 1,
                Some(false) => *late += 1,
                None => {}
            }
        }
        match r.returns {
            ReturnPair::NoReturnNow => t.no_return_now.push(r.name.clone()),
            ReturnPair::NoReturnThen => t.no_return_then.push(r.name.clone()),
            ReturnPair::Both => {}
        }
        if r.returns != ReturnPair::Both {
            continue;
        }
        t.compared += 1;
        if let Some(m) = r.records {
            t.records.unchanged += m.unchanged;
            t.records.changed += m.changed;
            t.records.new += m.new;
            t.records.retired += m.retired;
            t.records.not_reviewed += m.not_reviewed;
        }
        if let Some(m) = &r.ico {
            add(&mut t.ico, m);
        }
        if let Some(m) = &r.skills {
            add(&mut t.skills, m);
        }
        if let Some(m) = r.cyber_essentials {
            t.cyber_essentials.add(m);
        }
        if let Some(m) = r.psn {
            t.psn.add(m);
        }
        if let Some(s) = r.systems {
            t.systems.added += s.added;
            t.systems.retired += s.retired;
            t.systems.newly_out_of_support += s.newly_out_of_support;
            t.systems.moved_to_cloud += s.moved_to_cloud;
            t.systems.products_switched += s.products_switched;
        }
        if let Some(c) = r.contracts {
            t.contracts.ended += c.ended;
            t.contracts.reprocured += c.reprocured;
            t.contracts.extended += c.extended;
            t.contracts.joined += c.joined;
        }
    }
    // London's windows are counted once each, not once per organisation.
    let count = |o: WindowOutcome| windows.iter().filter(|w| w.outcome == o).count();
    t.contracts.windows_acted_on = count(WindowOutcome::ActedOn);
    t.contracts.windows_missed = count(WindowOutcome::Missed);
    t
}
