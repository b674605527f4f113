//! How critical a system is, in register words and codes. Decisions written down here and
//! tested:
//! - H / M / L and High / Med / Low are High, Medium and Low; *Very high*, *Business
//!   critical*, *Mission critical* and *Essential* are Critical.
//! - Numbered scales run from the most critical: 1 Critical, 2 High, 3 Medium, 4 Low (also as
//!   *Priority 1* or *Tier 1*); 0 and 5 fit no option.
//! - Gold / Silver / Bronze are High / Medium / Low, and *Platinum* Critical: a three-tier
//!   scale's top is not by itself the claim that an essential service stops without the
//!   system.
//! - *Medium-High*, *Med/Low* and RAG colours fit no one option and stay unmapped.

use super::Rule::{self, *};

pub(crate) const TABLE: &[Rule] = &[
    Never("medium high"),
    Never("high medium"),
    Never("med high"),
    Never("medium low"),
    Never("med low"),
    Never("low medium"),
    Never("red"),
    Never("amber"),
    Never("green"),
    Never("0"),
    Never("5"),
    Is("h", "high"),
    Is("m", "medium"),
    Is("med", "medium"),
    Is("l", "low"),
    Is("c", "critical"),
    Is("1", "critical"),
    Is("2", "high"),
    Is("3", "medium"),
    Is("4", "low"),
    Is("very high", "critical"),
    Is("essential", "critical"),
    Is("platinum", "critical"),
    Is("gold", "high"),
    Is("silver", "medium"),
    Is("bronze", "low"),
    Is("moderate", "medium"),
    Is("minor", "low"),
    NeverHas("medium high"),
    NeverHas("medium low"),
    Has("business critical", "critical"),
    Has("mission critical", "critical"),
    Has("critical", "critical"),
    Has("priority 1", "critical"),
    Has("tier 1", "critical"),
    Has("cat 1", "critical"),
    Has("category 1", "critical"),
    Has("p1", "critical"),
    Has("priority 2", "high"),
    Has("tier 2", "high"),
    Has("p2", "high"),
    Has("priority 3", "medium"),
    Has("tier 3", "medium"),
    Has("p3", "medium"),
    Has("priority 4", "low"),
    Has("tier 4", "low"),
    Has("p4", "low"),
    Has("high", "high"),
    Has("medium", "medium"),
    Has("low", "low"),
];

#[cfg(test)]
mod tests {
    use super::super::testing::{check, table_is_well_formed};

    #[test]
    fn register_words_for_criticality() {
        table_is_well_formed("Criticality");
        check(
            "Criticality",
            &[
                ("H", "high"),
                ("M", "medium"),
                ("L", "low"),
                ("High", "high"),
                ("Med", "medium"),
                ("Low", "low"),
                ("1", "critical"),
                ("2", "high"),
                ("3", "medium"),
                ("4", "low"),
                ("Priority 1", "critical"),
                ("Tier 2", "high"),
                ("Gold", "high"),
                ("Silver", "medium"),
                ("Bronze", "low"),
                ("Platinum", "critical"),
                ("Business Critical", "critical"),
                ("Very high", "critical"),
                ("Critical", "critical"),
                ("High - statutory service", "high"),
            ],
            &["Medium-High", "Med/Low", "Red", "Amber", "0", "5", "Normal"],
        );
    }
}
