//! Yes / no fields (personal data, internet-facing, SME, renews automatically …), as
//! registers write them. Decisions written down here and tested:
//! - Yes, Y, True, 1, ✓ and ✔ are yes; No, N, False, 0, ✗ and ✘ no. `X` is a mark in a
//!   box that registers use for both, so it stays unmapped.
//! - A yes or no followed by words (`Yes - see notes`, `No (planned)`) is that yes or no.
//! - *Partly*, *Some*, *Maybe*, *Planned*, *In progress* stay unmapped.

use super::Rule::{self, *};

pub(crate) const TABLE: &[Rule] = &[
    Never("x"),
    Never("partly"),
    Never("partially"),
    Never("some"),
    Never("maybe"),
    Never("planned"),
    Never("in progress"),
    Is("y", "yes"),
    Is("true", "yes"),
    Is("1", "yes"),
    Is("tick", "yes"),
    Is("ticked", "yes"),
    Is("n", "no"),
    Is("false", "no"),
    Is("0", "no"),
    Is("cross", "no"),
    Is("nope", "no"),
    NeverHas("partly"),
    NeverHas("partially"),
    NeverHas("yes no"),
    NeverHas("no yes"),
];

/// The first word decides a longer yes or no (`Yes - see notes`).
pub(crate) fn leading(value: &str) -> Option<&'static str> {
    match value.split(' ').next() {
        Some("yes" | "y") => Some("yes"),
        Some("no" | "n") => Some("no"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, table_is_well_formed};

    #[test]
    fn register_words_for_yes_and_no() {
        table_is_well_formed("YesNo");
        check(
            "YesNo",
            &[
                ("Yes", "yes"),
                ("Y", "yes"),
                ("TRUE", "yes"),
                ("1", "yes"),
                ("✓", "yes"),
                ("Yes - see notes", "yes"),
                ("No", "no"),
                ("N", "no"),
                ("false", "no"),
                ("0", "no"),
                ("✗", "no"),
                ("No (planned)", "no"),
            ],
            &["X", "Partly", "Maybe", "Planned", "Yes/No", "Some"],
        );
    }
}
