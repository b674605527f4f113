//! The one rule for a contract's **decision date** — the last day to act — used by the
//! committee workbook, the analysis views, the app and the published site; and the one set of
//! **urgency bands** that colour it.
//!
//! Decision date = end − notice period − procurement lead time (9 months unless asked).
//! - *End*: the end date of the current term. Asked to (`use_latest_end`), the latest end date
//!   with every extension taken, where one is given (else the end date, flagged).
//! - *No end date* — a rolling contract, or the date not given — but a latest end date given:
//!   the contract cannot run past it, so it is counted from, flagged `FromLatestEnd`. (The
//!   workbook once did this and the analysis did not; a rolling contract then had a decision
//!   date in one and none in the other. An upper bound LOTI can plan to is better than none.)
//! - Neither date: no decision date, flagged `Rolling` or `NoEndDate`.
//! - Notice comes off first, in days (a missing notice period counts as 0, flagged); then the
//!   lead time, in calendar months, landing on the month's last day where the day does not
//!   exist (31 March − 1 month = 28 or 29 February).
//!
//! Urgency, from the days between a date (`as_of`, e.g. today) and the decision date: passed
//! (< 0), within 6 months (≤ [`URGENT_DAYS`]), within a year (≤ [`SOON_DAYS`]), later.

use crate::domain::records::Contract;
use crate::domain::values::IsoDate;
use chrono::{Days, Months};
use serde::{Deserialize, Serialize};

/// Default procurement lead time.
pub(crate) const DEFAULT_LEAD_MONTHS: u32 = 9;

/// A decision due within this many days is urgent (red).
pub(crate) const URGENT_DAYS: i64 = 182;
/// A decision due within this many days is soon (amber).
pub(crate) const SOON_DAYS: i64 = 365;

/// How soon a contract's decision is due.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Urgency {
    /// The decision date has passed.
    Past,
    /// Within 6 months.
    Urgent,
    /// Within a year.
    Soon,
    /// More than a year away.
    Later,
    /// No decision date.
    Unknown,
}

impl Urgency {
    pub const ALL: [Urgency; 5] = [
        Urgency::Past,
        Urgency::Urgent,
        Urgency::Soon,
        Urgency::Later,
        Urgency::Unknown,
    ];

    /// The band of a decision date seen from `as_of`.
    pub fn of(decision: Option<IsoDate>, as_of: IsoDate) -> Urgency {
        match decision.map(|d| (d.0 - as_of.0).num_days()) {
            None => Urgency::Unknown,
            Some(d) if d < 0 => Urgency::Past,
            Some(d) if d <= URGENT_DAYS => Urgency::Urgent,
            Some(d) if d <= SOON_DAYS => Urgency::Soon,
            Some(_) => Urgency::Later,
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Past => "Date passed",
            Urgency::Urgent => "Within 6 months",
            Urgency::Soon => "Within a year",
            Urgency::Later => "More than a year away",
            Urgency::Unknown => "No date",
        }
    }
}

/// How decision dates are worked out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct DecisionOptions {
    /// Months needed to procure a replacement (default 9).
    pub lead_months: u32,
    /// Count from the latest end date with every extension taken, where one is given.
    pub use_latest_end: bool,
    /// The date urgency is measured from (e.g. today); without it, no urgency is given.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<IsoDate>,
}

impl Default for DecisionOptions {
    fn default() -> Self {
        DecisionOptions {
            lead_months: DEFAULT_LEAD_MONTHS,
            use_latest_end: false,
            as_of: None,
        }
    }
}

/// Something to know about a contract's decision date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DecisionFlag {
    /// A rolling contract: no end date, so no decision date.
    Rolling,
    /// No end date was given: the decision date is unknown.
    NoEndDate,
    /// No notice period was given: counted as 0 days.
    NoNoticePeriod,
    /// The latest end date was asked for but not given: the end date was used.
    NoLatestEnd,
    /// The contract renews itself unless notice is given.
    AutoRenews,
    /// No end date, so counted from the latest end date, the last day the contract can run.
    FromLatestEnd,
}

impl DecisionFlag {
    /// One line for people.
    pub(crate) fn explain(self) -> &'static str {
        match self {
            DecisionFlag::Rolling => {
                "rolling contract: no end date, so the decision date is unknown"
            }
            DecisionFlag::NoEndDate => "no end date given: the decision date is unknown",
            DecisionFlag::NoNoticePeriod => "no notice period given: counted as 0 days",
            DecisionFlag::NoLatestEnd => "no latest end date given: the end date was used",
            DecisionFlag::AutoRenews => "renews automatically unless notice is given",
            DecisionFlag::FromLatestEnd => {
                "no end date: counted from the latest end date, the last day it can run"
            }
        }
    }
}

/// `date` − `months` calendar months, clamped to the last day of a shorter month.
pub(crate) fn minus_months(date: IsoDate, months: u32) -> Option<IsoDate> {
    date.0.checked_sub_months(Months::new(months)).map(IsoDate)
}

/// `date` + `months` calendar months, clamped to the last day of a shorter month.
pub(crate) fn plus_months(date: IsoDate, months: u32) -> Option<IsoDate> {
    date.0.checked_add_months(Months::new(months)).map(IsoDate)
}

/// The working of one contract's decision date.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decision {
    /// The end date counted from.
    pub(crate) end_used: Option<IsoDate>,
    /// The last day to give notice (end − notice).
    pub(crate) notice_by: Option<IsoDate>,
    /// The last day to act (notice date − lead time).
    pub(crate) decision: Option<IsoDate>,
    pub(crate) flags: Vec<DecisionFlag>,
}

/// Works out a contract's decision date.
pub(crate) fn decide(c: &Contract, o: &DecisionOptions) -> Decision {
    let mut flags = Vec::new();
    if c.auto_renews == Some(true) {
        flags.push(DecisionFlag::AutoRenews);
    }
    let end = if o.use_latest_end {
        if c.latest_end_date.is_none() && c.end_date.is_some() {
            flags.push(DecisionFlag::NoLatestEnd);
        }
        c.latest_end_date.or(c.end_date)
    } else if c.end_date.is_none() && c.latest_end_date.is_some() {
        flags.push(DecisionFlag::FromLatestEnd);
        c.latest_end_date
    } else {
        c.end_date
    };
    let Some(end) = end else {
        flags.push(if c.rolling == Some(true) {
            DecisionFlag::Rolling
        } else {
            DecisionFlag::NoEndDate
        });
        flags.sort();
        return Decision {
            end_used: None,
            notice_by: None,
            decision: None,
            flags,
        };
    };
    if c.notice_period_days.is_none() {
        flags.push(DecisionFlag::NoNoticePeriod);
    }
    let notice = c.notice_period_days.unwrap_or(0);
    let notice_by = end
        .0
        .checked_sub_days(Days::new(u64::from(notice)))
        .map(IsoDate);
    let decision = notice_by.and_then(|d| minus_months(d, o.lead_months));
    flags.sort();
    Decision {
        end_used: Some(end),
        notice_by,
        decision,
        flags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> IsoDate {
        IsoDate::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn contract(end: Option<&str>, latest: Option<&str>, notice: Option<u32>) -> Contract {
        Contract {
            title: "T".into(),
            end_date: end.map(d),
            latest_end_date: latest.map(d),
            notice_period_days: notice,
            ..Contract::default()
        }
    }

    fn opts(lead: u32) -> DecisionOptions {
        DecisionOptions {
            lead_months: lead,
            ..DecisionOptions::default()
        }
    }

    #[test]
    fn month_ends_clamp_to_the_shorter_month() {
        assert_eq!(minus_months(d("2027-03-31"), 1), Some(d("2027-02-28")));
        assert_eq!(
            minus_months(d("2028-03-31"), 1),
            Some(d("2028-02-29")),
            "leap year"
        );
        assert_eq!(minus_months(d("2027-05-31"), 3), Some(d("2027-02-28")));
        assert_eq!(minus_months(d("2027-03-30"), 13), Some(d("2026-02-28")));
        assert_eq!(plus_months(d("2028-01-31"), 1), Some(d("2028-02-29")));
        let c = contract(Some("2028-03-31"), None, Some(0));
        assert_eq!(decide(&c, &opts(1)).decision, Some(d("2028-02-29")));
    }

    #[test]
    fn notice_comes_off_in_days_then_lead_time_in_months() {
        let c = contract(Some("2027-03-31"), None, Some(90));
        let r = decide(&c, &DecisionOptions::default());
        assert_eq!(r.notice_by, Some(d("2026-12-31")));
        assert_eq!(r.decision, Some(d("2026-03-31")));
        assert!(r.flags.is_empty());
        // Across 29 February in a leap year: 2028-03-30 − 30 days = 2028-02-29.
        let c = contract(Some("2028-03-30"), None, Some(30));
        let r = decide(&c, &opts(12));
        assert_eq!(r.notice_by, Some(d("2028-02-29")));
        assert_eq!(r.decision, Some(d("2027-02-28")));
    }

    #[test]
    fn latest_end_is_used_only_when_asked_and_present() {
        let c = contract(Some("2027-03-31"), Some("2029-03-31"), Some(0));
        assert_eq!(decide(&c, &opts(0)).decision, Some(d("2027-03-31")));
        let latest = DecisionOptions {
            lead_months: 0,
            use_latest_end: true,
            as_of: None,
        };
        assert_eq!(decide(&c, &latest).decision, Some(d("2029-03-31")));
        let c = contract(Some("2027-03-31"), None, Some(0));
        let r = decide(&c, &latest);
        assert_eq!(r.decision, Some(d("2027-03-31")));
        assert_eq!(r.flags, [DecisionFlag::NoLatestEnd]);
    }

    #[test]
    fn rolling_and_undated_contracts_have_no_decision_date() {
        let mut c = contract(None, None, Some(90));
        c.rolling = Some(true);
        let r = decide(&c, &DecisionOptions::default());
        assert_eq!(r.decision, None);
        assert_eq!(r.flags, [DecisionFlag::Rolling]);
        let c = contract(None, None, None);
        assert_eq!(
            decide(&c, &DecisionOptions::default()).flags,
            [DecisionFlag::NoEndDate]
        );
    }

    #[test]
    fn without_an_end_date_the_latest_end_date_is_the_last_day_it_can_run() {
        let mut c = contract(None, Some("2030-03-31"), Some(90));
        c.rolling = Some(true);
        let r = decide(&c, &DecisionOptions::default());
        // 2030-03-31 − 90 days = 2029-12-31; − 9 months = 2029-03-31.
        assert_eq!(r.end_used, Some(d("2030-03-31")));
        assert_eq!(r.decision, Some(d("2029-03-31")));
        assert_eq!(r.flags, [DecisionFlag::FromLatestEnd]);
        // With an end date, the end date; the latest only when asked.
        let c = contract(Some("2028-03-31"), Some("2030-03-31"), Some(90));
        assert_eq!(
            decide(&c, &DecisionOptions::default()).decision,
            Some(d("2027-04-01"))
        );
    }

    #[test]
    fn urgency_bands() {
        let today = d("2026-11-23");
        let at = |s: &str| Urgency::of(Some(d(s)), today);
        assert_eq!(at("2026-11-22"), Urgency::Past);
        assert_eq!(at("2026-11-23"), Urgency::Urgent);
        assert_eq!(at("2027-05-24"), Urgency::Urgent, "182 days");
        assert_eq!(at("2027-05-25"), Urgency::Soon, "183 days");
        assert_eq!(at("2027-11-23"), Urgency::Soon, "365 days");
        assert_eq!(at("2027-11-24"), Urgency::Later);
        assert_eq!(Urgency::of(None, today), Urgency::Unknown);
    }

    #[test]
    fn a_missing_notice_period_counts_as_zero_and_says_so() {
        let mut c = contract(Some("2027-06-30"), None, None);
        c.auto_renews = Some(true);
        let r = decide(&c, &opts(9));
        assert_eq!(r.notice_by, Some(d("2027-06-30")));
        assert_eq!(r.decision, Some(d("2026-09-30")));
        assert_eq!(
            r.flags,
            [DecisionFlag::NoNoticePeriod, DecisionFlag::AutoRenews]
        );
    }
}
