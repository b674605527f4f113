//! Worksheet names Excel accepts: at most 31 characters, none of `[ ] : * ? / \`, not starting
//! or ending with an apostrophe, not `History`, and unique without regard to case. Truncated
//! names that collide get a numbered suffix (`Contracts – a very long … (2)`), so a long title
//! can never break the export (formhub#341).

use std::collections::HashSet;

/// Excel's limit on a sheet name, in characters.
pub(crate) const MAX_SHEET_NAME: usize = 31;

/// Hands out unique, valid sheet names for one workbook.
#[derive(Debug, Default)]
pub(crate) struct SheetNames {
    used: HashSet<String>,
}

fn clean(wanted: &str) -> String {
    let s: String = wanted
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let s = s.trim().trim_matches('\'').trim().to_string();
    if s.is_empty() || s.eq_ignore_ascii_case("history") {
        format!("Sheet {s}").trim().to_string()
    } else {
        s
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars()
        .take(max)
        .collect::<String>()
        .trim_end()
        .trim_end_matches('\'')
        .to_string()
}

impl SheetNames {
    /// A valid name close to `wanted`, different from every name given out before.
    pub(crate) fn unique(&mut self, wanted: &str) -> String {
        let base = truncate(&clean(wanted), MAX_SHEET_NAME);
        let mut name = base.clone();
        let mut n = 1;
        while self.used.contains(&name.to_lowercase()) {
            n += 1;
            let suffix = format!(" ({n})");
            name = format!(
                "{}{suffix}",
                truncate(&base, MAX_SHEET_NAME - suffix.chars().count())
            );
        }
        self.used.insert(name.to_lowercase());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_colliding_names_stay_unique_and_short() {
        let mut names = SheetNames::default();
        let long = "Contracts ending in the same window across boroughs";
        let got: Vec<String> = (0..12).map(|_| names.unique(long)).collect();
        let mut seen = HashSet::new();
        for n in &got {
            assert!(n.chars().count() <= MAX_SHEET_NAME, "{n}");
            assert!(seen.insert(n.to_lowercase()), "duplicate {n}");
        }
        assert_eq!(got[0], "Contracts ending in the same wi");
        assert_eq!(got[1], "Contracts ending in the sam (2)");
        assert_eq!(got[11], "Contracts ending in the sa (12)");
    }

    #[test]
    fn forbidden_characters_case_and_reserved_names() {
        let mut names = SheetNames::default();
        assert_eq!(names.unique("Q1/Q2: [draft]?"), "Q1-Q2- -draft--");
        assert_eq!(names.unique("'quoted'"), "quoted");
        assert_eq!(names.unique("QUOTED"), "QUOTED (2)");
        assert_eq!(names.unique("History"), "Sheet History");
        assert_eq!(names.unique(""), "Sheet");
        // Multi-byte characters count as one each.
        let welsh = "Cyfrifiaduron ŵ ŷ â ê î ô û ŵ ŷ â ê î ô û ŵ ŷ";
        assert_eq!(names.unique(welsh).chars().count(), MAX_SHEET_NAME);
    }
}
