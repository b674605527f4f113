//! Vendor support for the version in use, as registers answer *Supported?*. Decisions
//! written down here and tested:
//! - `Yes`, `Y`, *Supported*, *In support*, *Fully supported* are Supported.
//! - `No`, `N`, `No - EOL 2024`, *EOL*, *End of life*, *Unsupported*, *Out of support*,
//!   *Not supported* are Out of support (the words about "not" are looked at before
//!   "supported").
//! - *Extended*, *Extended support*, *Paid support* are Extended or paid-for support; *In
//!   house*, *Internally supported* are Supported in house.
//! - *Partly*, *Partially*, *Limited*, *Some modules* fit no one option and stay unmapped.

use super::Rule::{self, *};

pub(crate) const TABLE: &[Rule] = &[
    Never("partly"),
    Never("partially"),
    Never("partial"),
    Never("limited"),
    Never("some modules"),
    Never("mixed"),
    Is("yes", "supported"),
    Is("y", "supported"),
    Is("no", "out_of_support"),
    Is("n", "out_of_support"),
    Is("eol", "out_of_support"),
    Is("extended", "extended_support"),
    Is("in house", "in_house"),
    NeverHas("partly"),
    NeverHas("partially"),
    Has("extended support", "extended_support"),
    Has("extended", "extended_support"),
    Has("paid support", "extended_support"),
    Has("paid for support", "extended_support"),
    Has("not supported", "out_of_support"),
    Has("unsupported", "out_of_support"),
    Has("out of support", "out_of_support"),
    Has("no longer supported", "out_of_support"),
    Has("end of life", "out_of_support"),
    Has("eol", "out_of_support"),
    Has("end of support", "out_of_support"),
    Has("in house", "in_house"),
    Has("internally supported", "in_house"),
    Has("internal support", "in_house"),
    Has("supported internally", "in_house"),
    Has("no", "out_of_support"),
    Has("yes", "supported"),
    Has("in support", "supported"),
    Has("supported", "supported"),
];

#[cfg(test)]
mod tests {
    use super::super::testing::{check, table_is_well_formed};

    #[test]
    fn register_words_for_support() {
        table_is_well_formed("SupportStatus");
        check(
            "SupportStatus",
            &[
                ("Yes", "supported"),
                ("Y", "supported"),
                ("yes - until 2027", "supported"),
                ("Fully supported", "supported"),
                ("In support", "supported"),
                ("No", "out_of_support"),
                ("N", "out_of_support"),
                ("No - EOL 2024", "out_of_support"),
                ("EOL", "out_of_support"),
                ("End of life", "out_of_support"),
                ("Unsupported", "out_of_support"),
                ("Not supported", "out_of_support"),
                ("Out of support", "out_of_support"),
                ("Extended support", "extended_support"),
                ("Yes (extended support)", "extended_support"),
                ("In house", "in_house"),
                ("Supported in house", "in_house"),
                ("Not known", "unknown"),
            ],
            &[
                "Partly",
                "Partially supported",
                "Limited",
                "Some modules",
                "Maybe",
            ],
        );
    }
}
