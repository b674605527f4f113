//! A simple contract decision date: the last day to decide whether to re-procure or extend,
//! taken as the end date (or, without one, the latest end date) less the notice period less a
//! nine-month lead time. The fuller analysis (renewal types, shared windows) is the analysis
//! module's; the workbook can take its results as extra sheets.

use crate::domain::records::Contract;
use crate::domain::values::IsoDate;
use chrono::Months;

/// Lead time before notice must be given, for a procurement to be prepared.
pub(crate) const LEAD_TIME_MONTHS: u32 = 9;

/// End (or latest end) − notice period − nine months; `None` without an end date.
pub(crate) fn decision_date(c: &Contract) -> Option<IsoDate> {
    let end = c.end_date.or(c.latest_end_date)?;
    let notice = chrono::Days::new(u64::from(c.notice_period_days.unwrap_or(0)));
    end.0
        .checked_sub_days(notice)?
        .checked_sub_months(Months::new(LEAD_TIME_MONTHS))
        .map(IsoDate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> IsoDate {
        IsoDate::parse(s).unwrap()
    }

    #[test]
    fn end_less_notice_less_nine_months() {
        let c = Contract {
            end_date: Some(d("2028-03-31")),
            latest_end_date: Some(d("2030-03-31")),
            notice_period_days: Some(90),
            ..Contract::default()
        };
        // 2028-03-31 − 90 days = 2028-01-01; − 9 months = 2027-04-01.
        assert_eq!(decision_date(&c), Some(d("2027-04-01")));
        let only_latest = Contract {
            latest_end_date: Some(d("2030-03-31")),
            ..Contract::default()
        };
        assert_eq!(decision_date(&only_latest), Some(d("2029-06-30")));
        assert_eq!(decision_date(&Contract::default()), None);
    }
}
