//! Value types with strict parsing: ISO dates (`2027-03-31`, real calendar dates only) and money
//! in integer pence (never floating point).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::fmt;

/// A calendar date, written `YYYY-MM-DD` everywhere (store, JSON, bundles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ts_rs::TS)]
#[ts(export, type = "string")]
pub struct IsoDate(pub NaiveDate);

impl IsoDate {
    /// Parses `YYYY-MM-DD`, refusing impossible dates such as 30 February.
    pub fn parse(s: &str) -> Result<IsoDate, String> {
        let t = s.trim();
        let shape_ok = t.len() == 10
            && t.as_bytes()[4] == b'-'
            && t.as_bytes()[7] == b'-'
            && t.bytes()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!("'{t}' is not a date in the form YYYY-MM-DD"));
        }
        // The shape is checked, so the parts are digits: read them directly (the same result
        // as `NaiveDate::parse_from_str(t, "%Y-%m-%d")`, without parsing a format per call).
        let num = |r: std::ops::Range<usize>| {
            t.as_bytes()[r]
                .iter()
                .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
        };
        i32::try_from(num(0..4))
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, num(5..7), num(8..10)))
            .map(IsoDate)
            .ok_or_else(|| format!("'{t}' is not a real date"))
    }
}

impl IsoDate {
    /// `YYYY-MM-DD` as bytes for a year of four digits (every date a record holds); `None`
    /// for the others, which chrono writes. Records write dates in every store row, audit
    /// entry and bundle: chrono's `format` reads its format string each time.
    fn ascii(&self) -> Option<[u8; 10]> {
        use chrono::Datelike;
        let (y, m, d) = (self.0.year(), self.0.month(), self.0.day());
        let y = u32::try_from(y).ok().filter(|y| *y <= 9999)?;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        Some([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ])
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ascii() {
            Some(b) => f.write_str(std::str::from_utf8(&b).map_err(|_| fmt::Error)?),
            None => write!(f, "{}", self.0.format("%Y-%m-%d")),
        }
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.ascii() {
            Some(b) => s.serialize_str(std::str::from_utf8(&b).map_err(serde::ser::Error::custom)?),
            None => s.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = IsoDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date in the form YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IsoDate, E> {
                IsoDate::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// An amount of money in pence (GBP). Never negative in the questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, ts_rs::TS)]
#[ts(export, type = "number")]
pub struct Pence(pub i64);

/// The largest amount accepted: £10 billion, comfortably inside JavaScript's exact integers.
pub(crate) const MAX_PENCE: i64 = 1_000_000_000_000;

impl fmt::Display for Pence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let p = self.0.unsigned_abs();
        let pounds = (p / 100).to_string();
        let mut grouped = String::new();
        for (i, ch) in pounds.chars().enumerate() {
            if i > 0 && (pounds.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}£{grouped}.{:02}", p % 100)
    }
}

impl Serialize for Pence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Pence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Pence;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number of pence (e.g. 125000000 for £1,250,000.00)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Pence, E> {
                if v < 0 {
                    Err(E::custom(format!(
                        "{v} is negative: money must be zero or more pence"
                    )))
                } else if v > MAX_PENCE {
                    Err(E::custom(format!("{v} pence is more than £10 billion")))
                } else {
                    Ok(Pence(v))
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Pence, E> {
                i64::try_from(v)
                    .map_err(|_| E::custom(format!("{v} pence is more than £10 billion")))
                    .and_then(|v| self.visit_i64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Pence, E> {
                Err(E::custom(format!(
                    "{v} is not a whole number of pence (money is stored in pence, e.g. 1250 for £12.50)"
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Pence, E> {
                Err(E::custom(format!(
                    "'{v}' is text: give money as a whole number of pence"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut d = NaiveDate::from_ymd_opt(-3, 1, 1).expect("a date");
        let end = NaiveDate::from_ymd_opt(10_002, 12, 31).expect("a date");
        let mut n = 0;
        while d <= end {
            let want = d.format("%Y-%m-%d").to_string();
            assert_eq!(IsoDate(d).to_string(), want);
            assert_eq!(
                serde_json::to_string(&IsoDate(d)).expect("json"),
                format!("\"{want}\"")
            );
            d = d + chrono::Days::new(if n % 3 == 0 { 1 } else { 37 });
            n += 1;
        }
    }

    #[test]
    fn dates_must_be_real_and_iso() {
        assert_eq!(
            IsoDate::parse("2028-02-29").unwrap().to_string(),
            "2028-02-29"
        );
        assert!(
            IsoDate::parse("2027-02-30")
                .unwrap_err()
                .contains("not a real date")
        );
        assert!(IsoDate::parse("2027-02-29").is_err());
        assert!(
            IsoDate::parse("31/03/2027")
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(IsoDate::parse("2027-3-31").is_err());
    }

    #[test]
    fn dates_read_as_chrono_reads_them() {
        for s in [
            "0000-01-01",
            "0001-12-31",
            "1900-02-29",
            "2000-02-29",
            "2026-00-10",
            "2026-13-01",
            "2026-12-00",
            "2026-12-32",
            "2026-04-31",
            "9999-12-31",
            " 2026-11-24 ",
        ] {
            let chrono = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
            assert_eq!(IsoDate::parse(s).ok().map(|d| d.0), chrono, "{s}");
        }
    }

    #[test]
    fn money_is_whole_non_negative_pence() {
        let p: Pence = serde_json::from_str("125000000").unwrap();
        assert_eq!(p.to_string(), "£1,250,000.00");
        assert_eq!(Pence(5).to_string(), "£0.05");
        let e = serde_json::from_str::<Pence>("-1").unwrap_err().to_string();
        assert!(e.contains("negative"), "{e}");
        assert!(serde_json::from_str::<Pence>("12.5").is_err());
        assert!(serde_json::from_str::<Pence>("\"£5\"").is_err());
        assert!(serde_json::from_str::<Pence>("1000000000001").is_err());
    }
}
