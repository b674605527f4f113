//! The layout of the spreadsheets City Tools writes and reads back: each record type's columns
//! (`columns.rs`, from the questionnaire), the headers of the template's form sheets, and
//! column letters. The survey template and the error report (`export`) write this layout and
//! the importer (`import`) maps sheets onto it, so both name it here and never each other.

pub(crate) mod columns;

/// Headers of the template's form sheets (one question per row).
pub(crate) const FORM_KEY_HEADER: &str = "Field id";
pub(crate) const FORM_QUESTION_HEADER: &str = "Question";
pub(crate) const FORM_ANSWER_HEADER: &str = "Answer";

/// `A`, `B`, … `Z`, `AA` for a 0-based column.
pub(crate) fn column_letter(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The 0-based column of a letter (`A` → 0, `AA` → 26).
pub(crate) fn column_index(letters: &str) -> Option<usize> {
    let t = letters.trim().to_ascii_uppercase();
    if t.is_empty() || t.len() > 3 || !t.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let mut n = 0usize;
    for b in t.bytes() {
        n = n * 26 + (b - b'A' + 1) as usize;
    }
    Some(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_letter_round_trip() {
        for (i, l) in [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (702, "AAA")] {
            assert_eq!(column_letter(i), l);
            assert_eq!(column_index(l), Some(i));
        }
        assert_eq!(column_index("a1"), None);
    }
}
