//! Reading one cell as the value a questionnaire field wants, the way people type it in
//! registers: `£1,250,000.00`, `1.2m`, dates as Excel serials, `31/03/2027` (UK order),
//! `31-Mar-27`, `Yes`/`N`. A value that cannot be read is an error on that cell; a recognised
//! "not known" (`TBC`, `N/A`, `none`, `-`, `?`) is left empty with a warning, in every kind of
//! field. Nothing unreadable ever becomes a blank or a zero silently. (Options are read by
//! `answers`.)

use super::workbook::{Cell, number_text};
use crate::domain::values::MAX_PENCE;
use chrono::{Datelike, NaiveDate};
use serde_json::Value;

/// What a cell gave.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Read {
    /// Nothing typed.
    Blank,
    /// A value for the field.
    Value(Value),
    /// Typed as "not known": left empty, and the user is told.
    Unknown(String),
}

/// Words that mean "not known yet" in registers.
pub(crate) fn is_unknown_word(t: &str) -> bool {
    let t = t.trim().trim_end_matches('.').to_ascii_lowercase();
    matches!(
        t.as_str(),
        "tbc"
            | "tba"
            | "tbd"
            | "n/a"
            | "na"
            | "n.a"
            | "unknown"
            | "none"
            | "not known"
            | "to be confirmed"
            | "to be agreed"
            | "?"
            | "-"
            | "--"
            | "various"
    )
}

fn unknown(raw: &str) -> Read {
    Read::Unknown(format!("'{}' read as not known: left blank", raw.trim()))
}

/// Collapses runs of whitespace and trims.
pub(crate) fn tidy_text(s: &str) -> String {
    if is_tidy(s) {
        // Most cells are already tidy: one copy instead of splitting and joining.
        return s.to_string();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `tidy_text` would return `s` unchanged: no whitespace but single spaces between
/// words.
fn is_tidy(s: &str) -> bool {
    let mut after_space = true;
    for c in s.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if c.is_whitespace() {
            return false;
        } else {
            after_space = false;
        }
    }
    !after_space || s.is_empty()
}

/// Text fields: the cell as people see it, trimmed (a number keeps no `.0`).
pub(crate) fn text(cell: &Cell, multiline: bool) -> Result<Read, String> {
    match cell {
        Cell::Empty => Ok(Read::Blank),
        Cell::Error(e) => Err(format!("the cell holds the error {e}")),
        c => {
            let s = c.display();
            let s = if multiline {
                s.trim().to_string()
            } else {
                tidy_text(&s)
            };
            if s.is_empty() {
                Ok(Read::Blank)
            } else if is_unknown_word(&s) {
                Ok(unknown(&s))
            } else {
                Ok(Read::Value(Value::String(s)))
            }
        }
    }
}

/// A list of short texts separated by `;` or new lines.
pub(crate) fn text_list(cell: &Cell) -> Result<Read, String> {
    match text(cell, true)? {
        Read::Value(Value::String(s)) => {
            let items: Vec<Value> = s
                .split([';', '\n'])
                .map(tidy_text)
                .filter(|x| !x.is_empty())
                .map(Value::String)
                .collect();
            Ok(if items.is_empty() {
                Read::Blank
            } else {
                Read::Value(Value::Array(items))
            })
        }
        other => Ok(other),
    }
}

/// Money typed in pounds → whole pence. `£1,250,000.00`, `1.2m`, `250k`, `£5bn`.
pub(crate) fn money(cell: &Cell) -> Result<Read, String> {
    let pounds = match cell {
        Cell::Empty => return Ok(Read::Blank),
        Cell::Number(n) => *n,
        Cell::Text(t) if t.trim().is_empty() => return Ok(Read::Blank),
        Cell::Text(t) if is_unknown_word(t) => return Ok(unknown(t)),
        Cell::Text(t) => parse_pounds(t).ok_or_else(|| {
            format!(
                "'{}' is not an amount of money (write it in pounds, e.g. 1250000 or £1,250,000.00)",
                t.trim()
            )
        })?,
        Cell::Bool(_) | Cell::Date(..) => {
            return Err(format!(
                "'{}' is not an amount of money",
                cell.display()
            ));
        }
        Cell::Error(e) => return Err(format!("the cell holds the error {e}")),
    };
    if !pounds.is_finite() {
        return Err("the amount is not a number".into());
    }
    if pounds < 0.0 {
        return Err(format!(
            "{} is negative: money must be zero or more",
            number_text(pounds)
        ));
    }
    let pence = (pounds * 100.0).round();
    if pence > MAX_PENCE as f64 {
        return Err(format!("£{} is more than £10 billion", number_text(pounds)));
    }
    Ok(Read::Value(Value::from(pence as i64)))
}

fn parse_pounds(t: &str) -> Option<f64> {
    let mut s: String = t
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    for prefix in ["gbp", "£"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_string();
        }
    }
    for suffix in ["gbp", "£"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.to_string();
        }
    }
    let (num, factor) = if let Some(n) = s.strip_suffix("bn") {
        (n, 1e9)
    } else if let Some(n) = s.strip_suffix("m") {
        (n, 1e6)
    } else if let Some(n) = s.strip_suffix("k") {
        (n, 1e3)
    } else {
        (s.as_str(), 1.0)
    };
    let num = num.strip_prefix('£').unwrap_or(num);
    if num.is_empty()
        || !num.chars().all(|c| c.is_ascii_digit() || c == '.')
        || num.matches('.').count() > 1
    {
        return None;
    }
    num.parse::<f64>().ok().map(|n| n * factor)
}

/// A whole number, zero or more.
pub(crate) fn integer(cell: &Cell) -> Result<Read, String> {
    let n = match cell {
        Cell::Empty => return Ok(Read::Blank),
        Cell::Number(n) => *n,
        Cell::Text(t) if t.trim().is_empty() => return Ok(Read::Blank),
        Cell::Text(t) if is_unknown_word(t) => return Ok(unknown(t)),
        Cell::Text(t) => {
            let s: String = t.trim().chars().filter(|c| *c != ',').collect();
            s.parse::<f64>()
                .map_err(|_| format!("'{}' is not a whole number", t.trim()))?
        }
        Cell::Error(e) => return Err(format!("the cell holds the error {e}")),
        other => return Err(format!("'{}' is not a whole number", other.display())),
    };
    if !n.is_finite() || n.fract() != 0.0 || n < 0.0 || n > f64::from(u32::MAX) {
        return Err(format!(
            "'{}' is not a whole number of zero or more",
            number_text(n)
        ));
    }
    Ok(Read::Value(Value::from(n as u64)))
}

/// Yes / no.
pub(crate) fn boolean(cell: &Cell) -> Result<Read, String> {
    match cell {
        Cell::Empty => Ok(Read::Blank),
        Cell::Bool(b) => Ok(Read::Value(Value::Bool(*b))),
        Cell::Number(n) if *n == 1.0 => Ok(Read::Value(Value::Bool(true))),
        Cell::Number(n) if *n == 0.0 => Ok(Read::Value(Value::Bool(false))),
        Cell::Text(t) => {
            let l = t.trim().trim_end_matches('.').to_ascii_lowercase();
            match l.as_str() {
                "" => Ok(Read::Blank),
                "yes" | "y" | "true" | "1" | "✓" | "✔" => Ok(Read::Value(Value::Bool(true))),
                "no" | "n" | "false" | "0" | "✗" => Ok(Read::Value(Value::Bool(false))),
                _ if is_unknown_word(&l) || l == "don't know" || l == "dont know" => Ok(unknown(t)),
                _ => Err(format!("'{}' is not Yes or No", t.trim())),
            }
        }
        Cell::Error(e) => Err(format!("the cell holds the error {e}")),
        other => Err(format!("'{}' is not Yes or No", other.display())),
    }
}

/// Lower case, single spaces, no surrounding punctuation: for matching words people type.
pub(crate) fn fold(s: &str) -> String {
    if !s.is_ascii() {
        return fold_unicode(s);
    }
    // ASCII (nearly every cell): lower-cased, `_` and whitespace runs made one space, in one
    // pass; the same as `fold_unicode`.
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for b in s.bytes() {
        if matches!(b, b'_' | b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(char::from(b.to_ascii_lowercase()));
    }
    let trimmed = out.trim_matches(|c: char| c == ':' || c == '*' || c == '.' || c == ' ');
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

/// `fold` of any text: Unicode lower case (final sigma and all).
fn fold_unicode(s: &str) -> String {
    let lower = s.to_lowercase().replace(['_', '\u{a0}'], " ");
    tidy_text(&lower)
        .trim_matches(|c: char| c == ':' || c == '*' || c == '.' || c == ' ')
        .to_string()
}

/// How a date cell was read.
pub(crate) enum DateRead {
    Date(NaiveDate),
    Blank,
    Unknown(String),
    /// Typed as "rolling" / "ongoing": no fixed date.
    Rolling,
}

/// A date: a date cell, an Excel serial number, or text in UK order.
pub(crate) fn date(cell: &Cell) -> Result<DateRead, String> {
    match cell {
        Cell::Empty => Ok(DateRead::Blank),
        Cell::Date(y, m, d) => NaiveDate::from_ymd_opt(*y, *m, *d)
            .map(DateRead::Date)
            .ok_or_else(|| format!("{y:04}-{m:02}-{d:02} is not a real date")),
        Cell::Number(n) => serial(*n)
            .map(DateRead::Date)
            .ok_or_else(|| format!("{} is not a date (type it as 31/03/2027)", number_text(*n))),
        // A text starting with a digit (nearly every date cell of a CSV) is neither blank, a
        // rolling word nor a not-known word: straight to the date parser.
        Cell::Text(t) if t.trim_start().starts_with(|c: char| c.is_ascii_digit()) => {
            parse_date_text(t.trim())
                .map(DateRead::Date)
                .ok_or_else(|| not_a_date(t))
        }
        Cell::Text(t) => {
            let l = fold(t);
            if l.is_empty() {
                return Ok(DateRead::Blank);
            }
            if matches!(
                l.as_str(),
                "rolling" | "ongoing" | "evergreen" | "no end date" | "rolling contract"
            ) {
                return Ok(DateRead::Rolling);
            }
            if is_unknown_word(t) {
                return Ok(DateRead::Unknown(format!(
                    "'{}' read as not known: left blank",
                    t.trim()
                )));
            }
            parse_date_text(t.trim())
                .map(DateRead::Date)
                .ok_or_else(|| not_a_date(t))
        }
        Cell::Bool(_) => Err(format!("'{}' is not a date", cell.display())),
        Cell::Error(e) => Err(format!("the cell holds the error {e}")),
    }
}

fn not_a_date(t: &str) -> String {
    format!(
        "'{}' is not a date (type it as 31/03/2027 or 2027-03-31)",
        t.trim()
    )
}

/// An Excel serial day number (1900 date system) → a date, for plausible dates only.
fn serial(n: f64) -> Option<NaiveDate> {
    if !n.is_finite() || n.fract() != 0.0 || !(3_000.0..=120_000.0).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(n as u64))
}

fn month(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if l.len() < 3 {
        return None;
    }
    let m = names.iter().position(|n| l.starts_with(n))? as u32 + 1;
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let ok = full[(m - 1) as usize].starts_with(&l) || l == "sept";
    ok.then_some(m)
}

fn year(s: &str) -> Option<i32> {
    let y: i32 = s.parse().ok()?;
    match s.len() {
        2 => Some(if y < 70 { 2000 + y } else { 1900 + y }),
        4 if (1900..=2200).contains(&y) => Some(y),
        _ => None,
    }
}

/// `2027-03-31`, `31/03/2027`, `31.03.27`, `31-Mar-27`, `31 March 2027`, `31st March 2027`.
pub(crate) fn parse_date_text(t: &str) -> Option<NaiveDate> {
    let t = t.trim();
    match digits_date(t) {
        Some(read) => read,
        None => parse_date_words(t),
    }
}

/// The two shapes nearly every date of a CSV register has, `31/03/2027` and `2027-03-31`, read
/// without splitting the text: `Some` of what [`parse_date_words`] reads them as (the same
/// date, or none), `None` for any other shape.
fn digits_date(t: &str) -> Option<Option<NaiveDate>> {
    let b = t.as_bytes();
    if b.len() != 10 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = if b[2] == b'/' && b[5] == b'/' {
        (num(6..10)?, num(3..5)?, num(0..2)?)
    } else if b[4] == b'-' && b[7] == b'-' {
        (num(0..4)?, num(5..7)?, num(8..10)?)
    } else {
        return None;
    };
    // A four-digit year from 1900 to 2200, as `year` reads it.
    let y = i32::try_from(y).ok().filter(|y| (1900..=2200).contains(y));
    Some(y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d)))
}

/// Any shape of date [`parse_date_text`] reads, by its three parts.
fn parse_date_words(t: &str) -> Option<NaiveDate> {
    // Text that is really a number (a serial typed as text) is not guessed at.
    let parts: Vec<&str> = t
        .split(['/', '-', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return None;
    }
    let day = |s: &str| -> Option<u32> {
        let s = s
            .trim_end_matches("st")
            .trim_end_matches("nd")
            .trim_end_matches("rd")
            .trim_end_matches("th");
        if s.is_empty() || s.len() > 2 {
            return None;
        }
        s.parse().ok()
    };
    let (y, m, d) = if parts[0].len() == 4 {
        (
            year(parts[0])?,
            parts[1].parse().ok().or_else(|| month(parts[1]))?,
            day(parts[2])?,
        )
    } else {
        let m = if parts[1].chars().all(|c| c.is_ascii_digit()) {
            if parts[1].len() > 2 {
                return None;
            }
            parts[1].parse().ok()?
        } else {
            month(parts[1])?
        };
        (year(parts[2])?, m, day(parts[0])?)
    };
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    (date.year() >= 1900).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn money_in_the_ways_registers_write_it() {
        let v = |c: Cell| match money(&c) {
            Ok(Read::Value(v)) => v,
            other => panic!("{c:?}: {other:?}"),
        };
        assert_eq!(v(t("£1,250,000.00")), json!(125_000_000));
        assert_eq!(v(t("1.2m")), json!(120_000_000));
        assert_eq!(v(t("£250k")), json!(25_000_000));
        assert_eq!(v(t(" 12.5 ")), json!(1250));
        assert_eq!(v(Cell::Number(0.1 + 0.2)), json!(30));
        assert_eq!(v(Cell::Number(0.0)), json!(0));
        assert!(matches!(money(&t("TBC")), Ok(Read::Unknown(_))));
        assert!(money(&t("about fifty grand")).is_err());
        assert!(money(&t("-5")).is_err());
        assert!(money(&Cell::Number(-5.0)).is_err());
        assert!(money(&t("1.2.3")).is_err());
        assert!(money(&t("£20bn")).is_err());
        assert_eq!(money(&Cell::Empty), Ok(Read::Blank));
    }

    /// The quick reading of `31/03/2027` and `2027-03-31` gives what the general one gives,
    /// for every day, month and year shape nearby (real dates, impossible ones, years out of
    /// range) and near misses that are left to the general reading.
    #[test]
    fn digit_dates_read_as_the_general_reader_reads_them() {
        let mut checked = 0;
        for y in [
            "1899", "1900", "1999", "2024", "2027", "2200", "2201", "0000", "9999",
        ] {
            for m in ["00", "01", "02", "09", "12", "13", "99"] {
                for d in ["00", "01", "28", "29", "30", "31", "32", "99"] {
                    for t in [format!("{d}/{m}/{y}"), format!("{y}-{m}-{d}")] {
                        let quick = digits_date(&t);
                        assert!(quick.is_some(), "{t} has the quick shape");
                        assert_eq!(quick.flatten(), parse_date_words(&t), "{t}");
                        assert_eq!(parse_date_text(&t), parse_date_words(&t), "{t}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000);
        for t in [
            "31/03/27",
            "31-03-2027",
            "31.03.2027",
            "2027/03/31",
            "3/03/2027",
            "31/3/20277",
            "31/0a/2027",
            "+1/03/2027",
            "2027-3-31",
            "31 Mar 2027",
            "",
            "31/03/2027x",
        ] {
            assert_eq!(digits_date(t), None, "{t} is left to the general reading");
        }
        assert_eq!(
            parse_date_text(" 29/02/2024 ")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(parse_date_text("29/02/2027"), None);
        assert_eq!(parse_date_text("31/12/1899"), None);
    }

    #[test]
    fn dates_in_uk_order_and_excel_serials() {
        let d = |c: Cell| match date(&c) {
            Ok(DateRead::Date(d)) => d.to_string(),
            _ => panic!("{c:?}"),
        };
        assert_eq!(d(t("31/03/2027")), "2027-03-31");
        assert_eq!(d(t("01/04/2026")), "2026-04-01");
        assert_eq!(d(t("31-Mar-27")), "2027-03-31");
        assert_eq!(d(t("31 March 2027")), "2027-03-31");
        assert_eq!(d(t("1st April 2026")), "2026-04-01");
        assert_eq!(d(t("2027-03-31")), "2027-03-31");
        assert_eq!(d(t("31.03.27")), "2027-03-31");
        assert_eq!(d(Cell::Number(46477.0)), "2027-03-31");
        assert_eq!(d(Cell::Date(2027, 3, 31)), "2027-03-31");
        assert!(matches!(date(&t("Rolling")), Ok(DateRead::Rolling)));
        assert!(matches!(date(&t("TBC")), Ok(DateRead::Unknown(_))));
        assert!(date(&t("31/02/2027")).is_err());
        assert!(date(&t("March 2027")).is_err());
        assert!(date(&t("soon")).is_err());
        assert!(date(&Cell::Number(12.5)).is_err());
    }

    #[test]
    fn the_ascii_fold_is_the_unicode_fold() {
        for s in [
            "",
            " ",
            "Total",
            "  GRAND   total: ",
            "Sub_Total*",
            "..total..",
            "a\tb\nc\x0Bd\x0Ce\rf",
            "_x_",
            ":*.",
            " . Note: see below .",
            "Supplier's Companies House number",
            "£1,250",
            "Ünïcode  Straße",
            "ΣΑΣ done",
            "a\u{a0}b",
        ] {
            assert_eq!(fold(s), fold_unicode(s), "{s:?}");
            assert_eq!(
                tidy_text(s),
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }

    #[test]
    fn yes_no_numbers_texts_and_not_known_words() {
        for w in ["N/A", "n/a", "-", "none", "unknown", "TBC", "?"] {
            assert!(matches!(text(&t(w), false), Ok(Read::Unknown(_))), "{w}");
        }
        assert_eq!(boolean(&t("Y")), Ok(Read::Value(json!(true))));
        assert!(boolean(&t("maybe")).is_err());
        assert_eq!(integer(&t("1,200")), Ok(Read::Value(json!(1200))));
        assert!(integer(&t("12.5")).is_err());
        assert_eq!(
            text(&Cell::Number(1628868.0), false),
            Ok(Read::Value(json!("1628868")))
        );
        assert_eq!(
            text_list(&t("A; B\nC;")),
            Ok(Read::Value(json!(["A", "B", "C"])))
        );
    }
}
