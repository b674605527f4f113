//! The procurement pipeline: the contracts whose decision date or end falls within the next
//! 36 months, soonest first, with the quarter each decision falls in, and the joint windows that
//! overlap those months. Decision dates and windows are the analysis module's
//! (`analysis::decisions`); this module only chooses what falls within the horizon.

use crate::analysis::dates::plus_months;
use crate::api::{AnalysisReport, ContractDecision, JointWindow};
use crate::domain::values::IsoDate;
use chrono::Datelike;

/// How far ahead the pipeline looks.
pub(crate) const HORIZON_MONTHS: u32 = 36;

/// What the market should see early.
pub(crate) struct Pipeline<'a> {
    pub(crate) from: IsoDate,
    pub(crate) until: IsoDate,
    pub(crate) contracts: Vec<&'a ContractDecision>,
    pub(crate) windows: Vec<&'a JointWindow>,
}

fn within(d: Option<IsoDate>, from: IsoDate, until: IsoDate) -> bool {
    d.is_some_and(|d| d >= from && d <= until)
}

/// The pipeline as of `today`.
pub(crate) fn pipeline(report: &AnalysisReport, today: IsoDate) -> Pipeline<'_> {
    let until = plus_months(today, HORIZON_MONTHS).unwrap_or(today);
    let contracts = report
        .decisions
        .iter()
        .filter(|c| within(c.decision_date, today, until) || within(c.end_used, today, until))
        .collect();
    let windows = report
        .windows
        .iter()
        .filter(|w| w.last_decision >= today && w.first_decision <= until)
        .collect();
    Pipeline {
        from: today,
        until,
        contracts,
        windows,
    }
}

/// `2027 Q1` (calendar quarters).
pub(crate) fn quarter(d: IsoDate) -> String {
    format!("{} Q{}", d.0.year(), (d.0.month() - 1) / 3 + 1)
}

/// When a pipeline contract needs deciding: its decision date's quarter, or that the date has
/// passed (the contract still ends within the horizon).
pub(crate) fn when(c: &ContractDecision, today: IsoDate) -> String {
    match c.decision_date {
        Some(d) if d >= today => quarter(d),
        Some(_) => "Decision date passed".into(),
        None => "Decision date not known".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_are_calendar_quarters() {
        let d = |s| IsoDate::parse(s).unwrap();
        assert_eq!(quarter(d("2027-01-01")), "2027 Q1");
        assert_eq!(quarter(d("2027-03-31")), "2027 Q1");
        assert_eq!(quarter(d("2027-04-01")), "2027 Q2");
        assert_eq!(quarter(d("2027-12-31")), "2027 Q4");
    }
}
