//! Enumerations of the questionnaire: stable string ids (stored, exported, sent in bundles)
//! and plain-English labels (shown to people). Ids never change once shipped; a renamed option
//! keeps its id and gets a new label.

/// Declares a questionnaire enumeration with stable string ids and labels.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal : $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[ts(export)]
        pub enum $name {
            $( #[serde(rename = $id)] $variant ),+
        }
        impl $name {
            /// Every option, in questionnaire order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable string id.
            pub fn id(self) -> &'static str { match self { $($name::$variant => $id),+ } }
            /// The label shown to people.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            /// Parses a stable string id.
            pub fn from_id(id: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.id() == id)
            }
        }
        impl crate::domain::enums::Enumeration for $name {
            const NAME: &'static str = stringify!($name);
            fn options() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|v| (v.id(), v.label())).collect()
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label()) }
        }
    };
}
pub(crate) use string_enum;

/// What every questionnaire enumeration offers to the UI and exports.
pub(crate) trait Enumeration {
    const NAME: &'static str;
    fn options() -> Vec<(&'static str, &'static str)>;
}

string_enum! {
    /// Service area: the top level of the ESD (LG Inform Plus) function list.
    ServiceArea {
        AdviceBenefits = "esd:1": "Advice and benefits",
        BusinessEmployment = "esd:6": "Business and employment",
        CommunitySafety = "esd:16": "Community safety",
        EducationLearning = "esd:23": "Education and learning",
        EnvironmentalProtection = "esd:30": "Environmental protection",
        GovernmentCitizensRights = "esd:42": "Government, citizens and rights (incl. internal operation)",
        HealthSocialCare = "esd:58": "Health and social care",
        Housing = "esd:66": "Housing",
        LeisureCulture = "esd:72": "Leisure and culture",
        LicencesPermits = "esd:82": "Licences, permits and permissions",
        MarineWaterway = "esd:95": "Marine and waterway services",
        PlanningBuildingControl = "esd:99": "Planning and building control",
        TransportHighways = "esd:105": "Transport and highways",
    }
}

string_enum! {
    /// Whether a system serves residents, the council itself, or underpins others.
    SystemCategory {
        Frontline = "frontline": "Frontline (used to serve residents)",
        Corporate = "corporate": "Corporate (back office)",
        Infrastructure = "infrastructure": "Infrastructure",
    }
}

string_enum! {
    /// Where a system runs.
    Hosting {
        OnPremises = "on_premises": "On premises",
        SupplierHosted = "supplier_hosted": "Hosted by the supplier",
        Saas = "saas": "Software as a service",
        Paas = "paas": "Platform as a service",
        Iaas = "iaas": "Infrastructure as a service (public cloud)",
        SharedService = "shared_service": "Shared service with another council",
    }
}

string_enum! {
    /// How much the council depends on a system.
    Criticality {
        Critical = "critical": "Critical (an essential service stops without it)",
        High = "high": "High",
        Medium = "medium": "Medium",
        Low = "low": "Low",
    }
}

string_enum! {
    /// Vendor support for the version in use.
    SupportStatus {
        Supported = "supported": "Supported",
        ExtendedSupport = "extended_support": "Extended or paid-for support",
        OutOfSupport = "out_of_support": "Out of support",
        InHouse = "in_house": "Supported in house",
        Unknown = "unknown": "Not known",
    }
}

string_enum! {
    /// Satisfaction with a system (1 to 5) or not known.
    Satisfaction {
        VeryDissatisfied = "1": "1 – very dissatisfied",
        Dissatisfied = "2": "2 – dissatisfied",
        Neutral = "3": "3 – neither",
        Satisfied = "4": "4 – satisfied",
        VerySatisfied = "5": "5 – very satisfied",
        DontKnow = "dont_know": "Don't know",
    }
}

string_enum! {
    /// Multi-factor authentication coverage (sensitive).
    MfaCoverage {
        AllUsers = "all_users": "All users",
        AdminsOnly = "admins_only": "Administrators only",
        NoMfa = "none": "None",
        NotApplicable = "not_applicable": "Not applicable",
    }
}

string_enum! {
    /// Backups of a system (sensitive).
    BackupState {
        OfflineOrImmutable = "offline_or_immutable": "Offline or immutable backups",
        OnlineOnly = "online_only": "Online backups only",
        SupplierManaged = "supplier_managed": "Managed by the supplier",
        NoBackups = "none": "No backups",
    }
}

string_enum! {
    /// How a contract was procured.
    ProcurementRoute {
        GCloud = "g_cloud": "G-Cloud call-off",
        Dos = "dos": "Digital Outcomes call-off",
        CcsFramework = "ccs_framework": "Other CCS framework",
        OtherFramework = "other_framework": "Other framework (ESPO, YPO, LPP…)",
        OpenTender = "open_tender": "Open or restricted tender",
        CompetitiveFlexible = "competitive_flexible": "Competitive flexible procedure",
        DirectAward = "direct_award": "Direct award or waiver",
        BelowThreshold = "below_threshold": "Below-threshold quotes",
        SharedService = "shared_service": "Shared service or in house",
        Unknown = "unknown": "Not known",
    }
}

string_enum! {
    /// Capability areas for peer support between organisations.
    SkillArea {
        CloudHosting = "cloud_hosting": "Cloud hosting and infrastructure",
        Networks = "networks": "Networks and telephony",
        CyberSecurity = "cyber_security": "Cyber security",
        DataAnalytics = "data_analytics": "Data and analytics",
        DataProtection = "data_protection": "Data protection and information governance",
        ServiceDesign = "service_design": "Service design and user research",
        SoftwareDevelopment = "software_development": "Software development",
        ProductManagement = "product_management": "Product and delivery management",
        Procurement = "procurement": "Technology procurement and contract management",
        Architecture = "architecture": "Enterprise and technical architecture",
        Automation = "automation": "Automation and AI",
        EndUserComputing = "end_user_computing": "End-user computing and service desk",
    }
}

string_enum! {
    /// Level of a capability (after the DDaT skill levels).
    SkillLevel {
        NoCapability = "none": "None",
        Awareness = "awareness": "Awareness",
        Working = "working": "Working",
        Practitioner = "practitioner": "Practitioner",
        Expert = "expert": "Expert",
    }
}

string_enum! {
    /// The ICO accountability framework's ten categories.
    IcoCategory {
        Leadership = "leadership_oversight": "Leadership and oversight",
        Policies = "policies_procedures": "Policies and procedures",
        Training = "training_awareness": "Training and awareness",
        Rights = "individuals_rights": "Individuals' rights",
        Transparency = "transparency": "Transparency",
        Records = "records_lawful_basis": "Records of processing and lawful basis",
        Contracts = "contracts_sharing": "Contracts and data sharing",
        Risks = "risks_dpias": "Risks and DPIAs",
        Security = "records_management_security": "Records management and security",
        Breach = "breach_response": "Breach response and monitoring",
    }
}

string_enum! {
    /// The ICO self-assessment scale.
    IcoRating {
        NotImplemented = "not_implemented": "Not yet implemented or planned",
        Partial = "partial": "Partially implemented or planned",
        Implemented = "implemented": "Successfully implemented",
        NotApplicable = "not_applicable": "Not applicable",
    }
}

string_enum! {
    /// UK GDPR Article 6(1) lawful basis.
    LawfulBasis {
        Consent = "consent": "Consent",
        Contract = "contract": "Contract",
        LegalObligation = "legal_obligation": "Legal obligation",
        VitalInterests = "vital_interests": "Vital interests",
        PublicTask = "public_task": "Public task",
        LegitimateInterests = "legitimate_interests": "Legitimate interests",
    }
}

string_enum! {
    /// State of the data protection impact assessment for a system.
    DpiaStatus {
        NotRequired = "not_required": "Not required (screened out)",
        NotStarted = "not_started": "Required, not started",
        InProgress = "in_progress": "In progress",
        Complete = "complete": "Complete",
        ReviewDue = "review_due": "Complete, review due",
    }
}

string_enum! {
    /// Whether the processor contract has the Article 28 terms.
    Art28Terms {
        Yes = "yes": "Yes",
        Partial = "partial": "Partly",
        No = "no": "No",
        NotApplicable = "not_applicable": "Not applicable (no processor)",
    }
}

string_enum! {
    /// International transfers of personal data and their safeguard.
    TransferMechanism {
        NoTransfer = "none": "No transfers outside the UK",
        Adequacy = "adequacy": "Adequacy regulations",
        Idta = "idta": "IDTA or UK addendum",
        Other = "other": "Other safeguard",
        Unknown = "unknown": "Not known",
    }
}

string_enum! {
    /// Cyber Essentials certification.
    CeStatus {
        NoCertificate = "none": "Not certified",
        CyberEssentials = "ce": "Cyber Essentials",
        CyberEssentialsPlus = "ce_plus": "Cyber Essentials Plus",
    }
}

string_enum! {
    /// Public Services Network connection compliance.
    PsnStatus {
        Valid = "valid": "Valid certificate",
        Expired = "expired": "Expired",
        InProgress = "in_progress": "Application in progress",
        NotApplicable = "not_applicable": "Not connected to the PSN",
    }
}

string_enum! {
    /// A CAF contributing outcome rating (sensitive).
    CafRating {
        NotAchieved = "not_achieved": "Not achieved",
        Partial = "partially_achieved": "Partially achieved",
        Achieved = "achieved": "Achieved",
    }
}

string_enum! {
    /// Where a carried-forward or new record stands in this cycle's review.
    ReviewState {
        ToReview = "to_review": "To review",
        Confirmed = "confirmed": "Confirmed",
        Changed = "changed": "Changed",
        New = "new": "New",
        Retired = "retired": "Retired",
    }
}

string_enum! {
    /// The kinds of record a return holds; also the table name in error locations.
    RecordKind {
        System = "system": "System",
        Contract = "contract": "Contract",
        Supplier = "supplier": "Supplier",
        Product = "product": "Product",
        Skill = "skill": "Skill",
        Gdpr = "gdpr": "GDPR readiness",
        Cyber = "cyber": "Cyber readiness",
    }
}

string_enum! {
    /// The sections of a return, as the task list shows them.
    SectionId {
        Systems = "systems": "Systems",
        Contracts = "contracts": "Contracts",
        Suppliers = "suppliers": "Suppliers and products",
        Skills = "skills": "Skills",
        Gdpr = "gdpr": "GDPR readiness",
        Cyber = "cyber": "Cyber readiness",
    }
}

string_enum! {
    /// How far a section has got.
    SectionState {
        NotStarted = "not_started": "Not started",
        InProgress = "in_progress": "In progress",
        Completed = "completed": "Completed",
    }
}

impl RecordKind {
    /// The heading for many of them (a list, a sheet, a choice of record type): `Systems`, …;
    /// the organisation-level questionnaires keep their label (`GDPR readiness`).
    pub fn plural(self) -> &'static str {
        match self {
            RecordKind::System => "Systems",
            RecordKind::Contract => "Contracts",
            RecordKind::Supplier => "Suppliers",
            RecordKind::Product => "Products",
            RecordKind::Skill => "Skills",
            RecordKind::Gdpr | RecordKind::Cyber => self.label(),
        }
    }

    /// Organisation-level questionnaires: at most one live record per return.
    pub fn is_singleton(self) -> bool {
        matches!(self, RecordKind::Gdpr | RecordKind::Cyber)
    }
}

/// One enumeration with its options, for pickers and data dictionaries.
pub(crate) fn all_enumerations() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    fn one<E: Enumeration>() -> (&'static str, Vec<(&'static str, &'static str)>) {
        (E::NAME, E::options())
    }
    vec![
        one::<ServiceArea>(),
        one::<SystemCategory>(),
        one::<Hosting>(),
        one::<Criticality>(),
        one::<SupportStatus>(),
        one::<Satisfaction>(),
        one::<MfaCoverage>(),
        one::<BackupState>(),
        one::<ProcurementRoute>(),
        one::<SkillArea>(),
        one::<SkillLevel>(),
        one::<IcoCategory>(),
        one::<IcoRating>(),
        one::<LawfulBasis>(),
        one::<DpiaStatus>(),
        one::<Art28Terms>(),
        one::<TransferMechanism>(),
        one::<CeStatus>(),
        one::<PsnStatus>(),
        one::<CafRating>(),
        one::<super::caf::CafOutcome>(),
        one::<ReviewState>(),
        one::<RecordKind>(),
        one::<SectionId>(),
        one::<SectionState>(),
    ]
}
