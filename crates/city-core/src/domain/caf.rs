//! The NCSC Cyber Assessment Framework v3.2: its 39 contributing outcomes and which objective
//! each belongs to. Organisation-level assessments cover objectives A and D; each critical
//! system is assessed against B and C (the local-government CAF split).

use super::enums::string_enum;

string_enum! {
    /// A CAF v3.2 contributing outcome, by its NCSC reference.
    CafOutcome {
        A1a = "A1.a": "A1.a Board direction",
        A1b = "A1.b": "A1.b Roles and responsibilities",
        A1c = "A1.c": "A1.c Decision-making",
        A2a = "A2.a": "A2.a Risk management process",
        A2b = "A2.b": "A2.b Assurance",
        A3a = "A3.a": "A3.a Asset management",
        A4a = "A4.a": "A4.a Supply chain",
        B1a = "B1.a": "B1.a Policy and process development",
        B1b = "B1.b": "B1.b Policy and process implementation",
        B2a = "B2.a": "B2.a Identity verification, authentication and authorisation",
        B2b = "B2.b": "B2.b Device management",
        B2c = "B2.c": "B2.c Privileged user management",
        B2d = "B2.d": "B2.d Identity and access management",
        B3a = "B3.a": "B3.a Understanding data",
        B3b = "B3.b": "B3.b Data in transit",
        B3c = "B3.c": "B3.c Stored data",
        B3d = "B3.d": "B3.d Mobile data",
        B3e = "B3.e": "B3.e Media and equipment sanitisation",
        B4a = "B4.a": "B4.a Secure by design",
        B4b = "B4.b": "B4.b Secure configuration",
        B4c = "B4.c": "B4.c Secure management",
        B4d = "B4.d": "B4.d Vulnerability management",
        B5a = "B5.a": "B5.a Resilience preparation",
        B5b = "B5.b": "B5.b Design for resilience",
        B5c = "B5.c": "B5.c Backups",
        B6a = "B6.a": "B6.a Cyber security culture",
        B6b = "B6.b": "B6.b Cyber security training",
        C1a = "C1.a": "C1.a Monitoring coverage",
        C1b = "C1.b": "C1.b Securing logs",
        C1c = "C1.c": "C1.c Generating alerts",
        C1d = "C1.d": "C1.d Identifying security incidents",
        C1e = "C1.e": "C1.e Monitoring tools and skills",
        C2a = "C2.a": "C2.a System abnormalities for attack detection",
        C2b = "C2.b": "C2.b Proactive attack discovery",
        D1a = "D1.a": "D1.a Response plan",
        D1b = "D1.b": "D1.b Response and recovery capability",
        D1c = "D1.c": "D1.c Testing and exercising",
        D2a = "D2.a": "D2.a Incident root cause analysis",
        D2b = "D2.b": "D2.b Using incidents to drive improvements",
    }
}

/// The four CAF objectives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CafObjective {
    A,
    B,
    C,
    D,
}

impl CafOutcome {
    /// The objective (A–D) the outcome belongs to.
    pub fn objective(self) -> CafObjective {
        match self.id().as_bytes().first() {
            Some(b'A') => CafObjective::A,
            Some(b'B') => CafObjective::B,
            Some(b'C') => CafObjective::C,
            _ => CafObjective::D,
        }
    }

    /// Outcomes assessed at organisation level (objectives A and D).
    pub fn organisation_level() -> impl Iterator<Item = CafOutcome> {
        Self::ALL
            .iter()
            .copied()
            .filter(|o| matches!(o.objective(), CafObjective::A | CafObjective::D))
    }

    /// Outcomes assessed for each critical system (objectives B and C).
    pub fn system_level() -> impl Iterator<Item = CafOutcome> {
        Self::ALL
            .iter()
            .copied()
            .filter(|o| matches!(o.objective(), CafObjective::B | CafObjective::C))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caf_v3_2_has_39_outcomes_split_12_and_27() {
        assert_eq!(CafOutcome::ALL.len(), 39);
        assert_eq!(CafOutcome::organisation_level().count(), 12);
        assert_eq!(CafOutcome::system_level().count(), 27);
        for o in CafOutcome::ALL {
            assert!(o.label().starts_with(o.id()), "{o:?}");
        }
    }
}
