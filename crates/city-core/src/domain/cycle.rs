//! Survey cycles (`2026-27`: a financial year) and the questionnaire version each uses.

use std::fmt;

/// The questionnaire version this build writes. Stored with every cycle and sent in bundles.
pub const QUESTIONNAIRE_VERSION: &str = "2026.1";

/// A survey cycle id such as `2026-27`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct CycleId(String);

impl CycleId {
    /// Parses `YYYY-YY` where the second year follows the first.
    pub(crate) fn parse(input: &str) -> Result<CycleId, CycleError> {
        let s = input.trim();
        let bad = || CycleError(s.to_string());
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        if a.len() != 4 || b.len() != 2 {
            return Err(bad());
        }
        let start: u32 = a.parse().map_err(|_| bad())?;
        let end: u32 = b.parse().map_err(|_| bad())?;
        if !(2000..=2999).contains(&start) || (start + 1) % 100 != end {
            return Err(bad());
        }
        Ok(CycleId(s.to_string()))
    }

    /// The first calendar year of the cycle.
    pub(crate) fn start_year(&self) -> u32 {
        self.0[..4].parse().unwrap_or(0)
    }

    /// The cycle after this one.
    pub(crate) fn next(&self) -> CycleId {
        let y = self.start_year() + 1;
        CycleId(format!("{y}-{:02}", (y + 1) % 100))
    }

    /// The cycle (financial year, 1 April to 31 March) that contains `date`.
    pub(crate) fn containing(date: chrono::NaiveDate) -> CycleId {
        use chrono::Datelike;
        let y = if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        };
        CycleId(format!("{y}-{:02}", (y + 1).rem_euclid(100)))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CycleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A cycle id that is not of the form `2026-27`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("cycle '{0}' is not valid: use a financial year such as 2026-27")]
pub(crate) struct CycleError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_financial_years() {
        let c = CycleId::parse("2026-27").unwrap();
        assert_eq!(c.start_year(), 2026);
        assert_eq!(c.next().as_str(), "2027-28");
        assert_eq!(
            CycleId::parse("2099-00").unwrap().next().as_str(),
            "2100-01"
        );
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(CycleId::containing(d(2026, 11, 24)).as_str(), "2026-27");
        assert_eq!(CycleId::containing(d(2027, 3, 31)).as_str(), "2026-27");
        assert_eq!(CycleId::containing(d(2027, 4, 1)).as_str(), "2027-28");
        assert_eq!(CycleId::containing(d(2099, 12, 1)).as_str(), "2099-00");
        for bad in ["2026-28", "2026", "26-27", "2026/27", "abcd-ef", ""] {
            assert!(CycleId::parse(bad).is_err(), "{bad}");
        }
    }
}
