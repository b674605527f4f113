//! Satisfaction (1 to 5, or don't know) in register words. Decisions written down here and
//! tested:
//! - The numbers 1 to 5 are the scale; *Very satisfied* / *Excellent* / *Very good* 5,
//!   *Satisfied* / *Good* 4, *Neutral* / *OK* / *Average* / *Fair* / *Adequate* 3,
//!   *Dissatisfied* / *Poor* 2, *Very dissatisfied* / *Very poor* 1.
//! - RAG colours, out-of-ten scores and *Mixed* stay unmapped.

use super::Rule::{self, *};

pub(crate) const TABLE: &[Rule] = &[
    Never("red"),
    Never("amber"),
    Never("green"),
    Never("mixed"),
    Never("0"),
    Is("very satisfied", "5"),
    Is("excellent", "5"),
    Is("very good", "5"),
    Is("satisfied", "4"),
    Is("good", "4"),
    Is("neutral", "3"),
    Is("neither", "3"),
    Is("ok", "3"),
    Is("okay", "3"),
    Is("average", "3"),
    Is("fair", "3"),
    Is("adequate", "3"),
    Is("satisfactory", "3"),
    Is("dissatisfied", "2"),
    Is("unsatisfied", "2"),
    Is("poor", "2"),
    Is("very dissatisfied", "1"),
    Is("very poor", "1"),
    Is("terrible", "1"),
    Is("dont know", "dont_know"),
    Is("do not know", "dont_know"),
    Is("not sure", "dont_know"),
    NeverHas("out of 10"),
    NeverHas("10"),
    Has("very dissatisfied", "1"),
    Has("very poor", "1"),
    Has("dissatisfied", "2"),
    Has("very satisfied", "5"),
    Has("satisfied", "4"),
];

#[cfg(test)]
mod tests {
    use super::super::testing::{check, table_is_well_formed};

    #[test]
    fn register_words_for_satisfaction() {
        table_is_well_formed("Satisfaction");
        check(
            "Satisfaction",
            &[
                ("5", "5"),
                ("1", "1"),
                ("Very satisfied", "5"),
                ("Good", "4"),
                ("OK", "3"),
                ("Average", "3"),
                ("Poor", "2"),
                ("Very dissatisfied", "1"),
                ("Don't know", "dont_know"),
                ("4 – satisfied", "4"),
            ],
            &["Red", "Amber", "Green", "7 out of 10", "Mixed", "0"],
        );
    }
}
