//! Where a system runs, in register words. Decisions written down here and tested:
//! - On prem, on-premise(s), in house, our / council data centre, local server → On premises.
//! - SaaS and "software as a service" → Software as a service; *Hosted*, supplier / vendor /
//!   third-party hosted, managed service → Hosted by the supplier; Azure, AWS, Google Cloud
//!   and IaaS → Infrastructure as a service; PaaS → Platform as a service; hosted by, or
//!   shared with, another council → Shared service.
//! - A bare *Cloud* (or *Cloud based*, *Off site*, *External*) says off premises but not whose
//!   cloud nor what kind, and *Hybrid* says two things: they stay unmapped.

use super::Rule::{self, *};

pub(crate) const TABLE: &[Rule] = &[
    Never("cloud"),
    Never("cloud based"),
    Never("cloud hosted"),
    Never("off site"),
    Never("offsite"),
    Never("off premise"),
    Never("off premises"),
    Never("external"),
    Never("hybrid"),
    Never("mixed"),
    Never("both"),
    Is("on prem", "on_premises"),
    Is("onprem", "on_premises"),
    Is("on premise", "on_premises"),
    Is("in house", "on_premises"),
    Is("local", "on_premises"),
    Is("internal", "on_premises"),
    Is("saas", "saas"),
    Is("hosted", "supplier_hosted"),
    Is("paas", "paas"),
    Is("iaas", "iaas"),
    Is("azure", "iaas"),
    Is("aws", "iaas"),
    NeverHas("hybrid"),
    Has("another council", "shared_service"),
    Has("other council", "shared_service"),
    Has("shared service", "shared_service"),
    Has("shared with", "shared_service"),
    Has("borough council", "shared_service"),
    Has("on prem", "on_premises"),
    Has("onprem", "on_premises"),
    Has("on premise", "on_premises"),
    Has("on premises", "on_premises"),
    Has("on site", "on_premises"),
    Has("onsite", "on_premises"),
    Has("in house", "on_premises"),
    Has("data centre", "on_premises"),
    Has("data center", "on_premises"),
    Has("datacentre", "on_premises"),
    Has("local server", "on_premises"),
    Has("council server", "on_premises"),
    Has("council servers", "on_premises"),
    Has("saas", "saas"),
    Has("software as a service", "saas"),
    Has("paas", "paas"),
    Has("platform as a service", "paas"),
    Has("iaas", "iaas"),
    Has("infrastructure as a service", "iaas"),
    Has("azure", "iaas"),
    Has("aws", "iaas"),
    Has("amazon web services", "iaas"),
    Has("google cloud", "iaas"),
    Has("gcp", "iaas"),
    Has("supplier hosted", "supplier_hosted"),
    Has("vendor hosted", "supplier_hosted"),
    Has("third party hosted", "supplier_hosted"),
    Has("hosted by supplier", "supplier_hosted"),
    Has("hosted by the supplier", "supplier_hosted"),
    Has("hosted by vendor", "supplier_hosted"),
    Has("supplier", "supplier_hosted"),
    Has("vendor", "supplier_hosted"),
    Has("managed service", "supplier_hosted"),
    Has("hosted", "supplier_hosted"),
];

#[cfg(test)]
mod tests {
    use super::super::testing::{check, table_is_well_formed};

    #[test]
    fn register_words_for_hosting() {
        table_is_well_formed("Hosting");
        check(
            "Hosting",
            &[
                ("On prem", "on_premises"),
                ("On-Prem", "on_premises"),
                ("on-premise", "on_premises"),
                ("On Premises", "on_premises"),
                ("In house", "on_premises"),
                ("In-house data centre", "on_premises"),
                ("Council data centre", "on_premises"),
                ("SaaS", "saas"),
                ("Cloud (SaaS)", "saas"),
                ("Software as a Service", "saas"),
                ("Hosted", "supplier_hosted"),
                ("Supplier hosted", "supplier_hosted"),
                ("Hosted by supplier", "supplier_hosted"),
                ("Cloud - supplier hosted", "supplier_hosted"),
                ("Azure", "iaas"),
                ("AWS", "iaas"),
                ("Cloud (Azure)", "iaas"),
                ("PaaS", "paas"),
                ("Shared service with Brent", "shared_service"),
                ("Hosted by another council", "shared_service"),
                ("saas", "saas"),
            ],
            &[
                "Cloud",
                "Cloud based",
                "Off site",
                "External",
                "Hybrid",
                "Hybrid (on prem and Azure)",
                "Desktop",
            ],
        );
    }
}
