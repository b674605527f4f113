//! Returns: when each arrived against its cycle's closing date, and the later return's records
//! against the earlier one's, matched by id — unchanged, changed, new, retired — with those
//! still marked *to review*.

use super::{Receipt, RecordMovement, ReturnReceipt, by_id};
use crate::analysis::OrgReturn;
use crate::domain::values::IsoDate;

/// One return's receipt against a closing date.
pub(super) fn receipt(r: &Receipt, records: usize, closes: Option<IsoDate>) -> ReturnReceipt {
    let days = match (r.first, closes) {
        (Some(got), Some(c)) => Some((got.0 - c.0).num_days()),
        _ => None,
    };
    ReturnReceipt {
        received_on: r.first,
        last_received_on: r.last,
        days_after_closing: days,
        on_time: days.map(|d| d <= 0),
        records,
    }
}

/// Records moved in one organisation's return (`receipt`: the later cycle's).
pub(super) fn records(then: &OrgReturn, now: &OrgReturn, receipt: &Receipt) -> RecordMovement {
    let before = by_id(then);
    let mut m = RecordMovement {
        not_reviewed: receipt.not_reviewed,
        ..RecordMovement::default()
    };
    let mut seen = 0;
    for (id, r) in &now.records {
        match before.get(id) {
            Some(b) if *b == r => m.unchanged += 1,
            Some(_) => m.changed += 1,
            None => m.new += 1,
        }
        seen += usize::from(before.contains_key(id));
    }
    m.retired = before.len() - seen;
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> IsoDate {
        IsoDate::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_return_on_the_closing_date_is_on_time_and_a_day_later_is_late() {
        let closes = Some(d("2027-11-30"));
        let on = Receipt {
            first: Some(d("2027-11-30")),
            last: Some(d("2027-12-10")),
            not_reviewed: 0,
        };
        let r = receipt(&on, 5, closes);
        assert_eq!((r.on_time, r.days_after_closing), (Some(true), Some(0)));
        let late = Receipt {
            first: Some(d("2027-12-01")),
            ..on.clone()
        };
        assert_eq!(receipt(&late, 5, closes).on_time, Some(false));
        assert_eq!(
            receipt(&on, 5, None).on_time,
            None,
            "no closing date: not judged"
        );
        assert_eq!(receipt(&Receipt::default(), 5, closes).on_time, None);
    }
}
