//! Skill areas and levels in the words of skills audits. Decisions written down here and
//! tested: levels follow the DDaT words (*Awareness*, *Working*, *Practitioner*, *Expert*)
//! and their common stand-ins (*Basic*, *Intermediate*, *Advanced*); a 1–5 number is not
//! read (audits number their scales both ways) and stays unmapped.

use super::Rule::{self, *};

pub(crate) const AREA: &[Rule] = &[
    Is("cloud", "cloud_hosting"),
    Is("networks", "networks"),
    Is("cyber", "cyber_security"),
    Is("security", "cyber_security"),
    Is("data", "data_analytics"),
    Is("ig", "data_protection"),
    Is("gdpr", "data_protection"),
    Is("ux", "service_design"),
    Is("user research", "service_design"),
    Is("development", "software_development"),
    Is("ai", "automation"),
    Is("rpa", "automation"),
    Is("service desk", "end_user_computing"),
    Has("cloud", "cloud_hosting"),
    Has("hosting", "cloud_hosting"),
    Has("network", "networks"),
    Has("networks", "networks"),
    Has("telephony", "networks"),
    Has("cyber", "cyber_security"),
    Has("analytics", "data_analytics"),
    Has("business intelligence", "data_analytics"),
    Has("data protection", "data_protection"),
    Has("information governance", "data_protection"),
    Has("service design", "service_design"),
    Has("software", "software_development"),
    Has("developer", "software_development"),
    Has("product", "product_management"),
    Has("delivery", "product_management"),
    Has("procurement", "procurement"),
    Has("contract management", "procurement"),
    Has("architecture", "architecture"),
    Has("automation", "automation"),
    Has("service desk", "end_user_computing"),
    Has("end user", "end_user_computing"),
];

pub(crate) const LEVEL: &[Rule] = &[
    Never("1"),
    Never("2"),
    Never("3"),
    Never("4"),
    Never("5"),
    Is("no", "none"),
    Is("basic", "awareness"),
    Is("beginner", "awareness"),
    Is("intermediate", "working"),
    Is("advanced", "practitioner"),
    Is("specialist", "expert"),
];

#[cfg(test)]
mod tests {
    use super::super::testing::{check, table_is_well_formed};

    #[test]
    fn skills_tables() {
        table_is_well_formed("SkillArea");
        table_is_well_formed("SkillLevel");
        check(
            "SkillArea",
            &[
                ("Cloud", "cloud_hosting"),
                ("Cyber", "cyber_security"),
                ("Data protection / IG", "data_protection"),
                ("Networks & Telephony", "networks"),
            ],
            &["Leadership"],
        );
        check(
            "SkillLevel",
            &[
                ("Basic", "awareness"),
                ("Expert", "expert"),
                ("Intermediate", "working"),
            ],
            &["3", "Lots"],
        );
    }
}
