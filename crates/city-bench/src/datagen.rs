//! The seeded data generator: organisations at London scale (the 33 authorities) and national
//! scale (400: the 33 plus synthetic councils), each with suppliers, products, systems and
//! contracts whose names, service areas, dates and money (integer pence) look like a real
//! return. Everything follows from the seed and the organisation's index, so the same seed
//! always gives the same data.

use city_core::api::{self, RecordKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

/// How much data to generate per organisation, and for how many organisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scale {
    pub(crate) orgs: usize,
    pub(crate) systems: usize,
    pub(crate) contracts: usize,
    pub(crate) suppliers: usize,
    pub(crate) products: usize,
}

impl Scale {
    /// London: 33 organisations × 2,000 systems and 1,000 contracts each.
    pub(crate) const LONDON: Scale = Scale {
        orgs: 33,
        systems: 2_000,
        contracts: 1_000,
        suppliers: 150,
        products: 300,
    };

    /// The same return size for `orgs` organisations.
    pub(crate) fn with_orgs(self, orgs: usize) -> Scale {
        Scale { orgs, ..self }
    }

    /// Records per organisation.
    pub(crate) fn records_per_org(&self) -> usize {
        self.systems + self.contracts + self.suppliers + self.products
    }

    /// A short name used in cache keys and tables, e.g. `g2-33x2000s1000c150u300p`; it starts
    /// with the generator's version, so a changed generator never reuses old cached inputs.
    pub(crate) fn key(&self) -> String {
        format!(
            "g{GENERATOR_VERSION}-{}x{}s{}c{}u{}p",
            self.orgs, self.systems, self.contracts, self.suppliers, self.products
        )
    }
}

/// Bumped whenever the generator's output changes (2: well-known vendors keep one Companies
/// House number across organisations, so supplier grouping finds them).
const GENERATOR_VERSION: u32 = 2;

/// A well-known vendor's Companies House number, the same in every organisation: a hash of its
/// name (FNV-1a) in the range real numbers use.
fn vendor_company_number(name: &str) -> u64 {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    1_000_000 + hash % 14_000_000
}

/// An organisation: its id as the API takes it and its name.
#[derive(Debug, Clone)]
pub(crate) struct OrgSpec {
    /// `E09000007` for a London authority, `gss:E0799NNNN` for a synthetic council.
    pub(crate) id: String,
    /// The GSS code alone (used in file names).
    pub(crate) code: String,
    pub(crate) name: String,
    /// Whether the API needs the name (not one of the 33).
    pub(crate) needs_name: bool,
}

/// The first `n` organisations: the 33 London authorities, then synthetic councils with codes
/// no real authority uses (`E0799…`).
pub(crate) fn organisations(n: usize) -> Vec<OrgSpec> {
    let london = api::london_organisations();
    (0..n)
        .map(|i| match london.get(i) {
            Some(o) => OrgSpec {
                id: o.code.clone(),
                code: o.code.clone(),
                name: o.name.clone(),
                needs_name: false,
            },
            None => {
                let code = format!("E0799{:04}", i);
                OrgSpec {
                    id: format!("gss:{code}"),
                    code,
                    name: format!(
                        "{} {} Council",
                        PLACES[i % PLACES.len()],
                        ["District", "Borough", "City", "County"][i / PLACES.len() % 4]
                    ),
                    needs_name: true,
                }
            }
        })
        .collect()
}

/// One organisation's records, with links between them as indexes (the store assigns ids).
#[derive(Debug, Clone)]
pub(crate) struct OrgData {
    pub(crate) suppliers: Vec<Value>,
    /// (supplier index, fields)
    pub(crate) products: Vec<(usize, Value)>,
    /// (product index, supplier index, fields)
    pub(crate) systems: Vec<(usize, usize, Value)>,
    /// (supplier index, system indexes, fields)
    pub(crate) contracts: Vec<(usize, Vec<usize>, Value)>,
}

impl OrgData {
    /// Records in insertion order: every link points at an earlier record.
    pub(crate) fn len(&self) -> usize {
        self.suppliers.len() + self.products.len() + self.systems.len() + self.contracts.len()
    }
}

const PLACES: &[&str] = &[
    "Ashford",
    "Basildon",
    "Cherwell",
    "Dacorum",
    "Eastleigh",
    "Fenland",
    "Gedling",
    "Harlow",
    "Ipswich",
    "Kettering",
    "Lewes",
    "Mendip",
    "Norwich",
    "Oadby",
    "Pendle",
    "Redditch",
    "Selby",
    "Tamworth",
    "Uttlesford",
    "Wealden",
    "Wyre",
    "Rother",
    "Rugby",
    "Stroud",
];

/// Suppliers local government buys technology from, and products they make.
const VENDORS: &[(&str, &[&str])] = &[
    (
        "Civica UK Ltd",
        &["Civica APP", "Civica Cx", "Civica Financials", "Civica Pay"],
    ),
    (
        "Capita Business Services Ltd",
        &["Capita ONE", "Capita Academy", "Capita Pay360"],
    ),
    (
        "NEC Software Solutions UK Ltd",
        &[
            "NEC Housing",
            "NEC Revenues and Benefits",
            "NEC Social Care",
        ],
    ),
    (
        "Idox Software Ltd",
        &["Idox Uniform", "Idox Acolaid", "Idox Cloud"],
    ),
    (
        "Microsoft Ltd",
        &["Microsoft 365", "Dynamics 365", "Azure Virtual Desktop"],
    ),
    (
        "Oracle Corporation UK Ltd",
        &["Oracle Fusion Cloud ERP", "Oracle E-Business Suite"],
    ),
    ("SAP (UK) Ltd", &["SAP S/4HANA", "SAP SuccessFactors"]),
    ("Unit4 Business Software Ltd", &["Unit4 ERP", "Agresso"]),
    (
        "System C Healthcare Ltd",
        &["Liquidlogic LCS", "Liquidlogic EHM", "ContrOCC"],
    ),
    ("Servelec Group Ltd", &["Mosaic", "Synergy"]),
    ("The Access Group", &["Access iTrent", "Access Dimensions"]),
    (
        "Netcall Technology Ltd",
        &["Netcall Liberty Create", "Netcall Liberty Converse"],
    ),
    ("Jadu Ltd", &["Jadu CXM", "Jadu Central"]),
    ("ServiceNow UK Ltd", &["ServiceNow ITSM", "ServiceNow HRSD"]),
    ("Salesforce UK Ltd", &["Salesforce Service Cloud"]),
    ("Granicus Ltd", &["GovDelivery", "Firmstep"]),
    ("Arcus Global Ltd", &["Arcus Built Environment"]),
    ("Bottomline Technologies Ltd", &["Bottomline PTX"]),
    (
        "Advanced Business Software Ltd",
        &["Advanced Cloud Financials", "Advanced Case Management"],
    ),
    (
        "Agilisys Ltd",
        &["Agilisys Digital", "Agilisys Data Platform"],
    ),
    (
        "Northgate Public Services Ltd",
        &["Northgate iWorld", "Northgate Open Housing"],
    ),
    ("Yotta Ltd", &["Yotta Alloy"]),
    ("Whitespace Work Software Ltd", &["Whitespace Waste"]),
    ("Bartec Auto ID Ltd", &["Bartec Collective"]),
    ("Tascomi Ltd", &["Tascomi Regulatory Services"]),
    ("Esri UK Ltd", &["ArcGIS Enterprise", "ArcGIS Online"]),
    ("Cisco International Ltd", &["Cisco Webex", "Cisco Meraki"]),
    ("Mitel Networks Ltd", &["Mitel MiVoice"]),
    (
        "Adobe Systems Software Ireland Ltd",
        &["Adobe Acrobat Sign"],
    ),
    ("Zoom Video Communications UK Ltd", &["Zoom Workplace"]),
];

const WORDS: &[&str] = &[
    "Thames",
    "Meridian",
    "Northbank",
    "Crown",
    "Kestrel",
    "Harbour",
    "Beacon",
    "Oakwood",
    "Vantage",
    "Pinnacle",
    "Cobalt",
    "Granite",
    "Lantern",
    "Juniper",
    "Atlas",
    "Sterling",
];
const TRADES: &[&str] = &[
    "Digital",
    "Systems",
    "Technology",
    "Consulting",
    "Data",
    "Networks",
    "Software",
    "Cloud",
];

const SYSTEM_USES: &[&str] = &[
    "case management",
    "payments",
    "bookings",
    "document management",
    "mapping",
    "scheduling",
    "customer portal",
    "reporting",
    "inspections",
    "workflow",
    "records",
    "telephony",
    "integration hub",
    "data warehouse",
    "mobile working",
];

const SERVICE_AREAS: &[&str] = &[
    "esd:1", "esd:6", "esd:16", "esd:23", "esd:30", "esd:42", "esd:58", "esd:66", "esd:72",
    "esd:82", "esd:95", "esd:99", "esd:105",
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn date(rng: &mut ChaCha8Rng, from_year: i32, to_year: i32) -> chrono::NaiveDate {
    let year = rng.gen_range(from_year..=to_year);
    let day = rng.gen_range(0..365);
    chrono::NaiveDate::from_yo_opt(year, day + 1).unwrap_or_default()
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The records of organisation number `index` for `seed`.
pub(crate) fn org_data(seed: u64, index: usize, scale: &Scale) -> OrgData {
    let mut rng =
        ChaCha8Rng::seed_from_u64(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    // Suppliers: the well-known vendors first, then smaller local firms.
    let mut suppliers = Vec::with_capacity(scale.suppliers);
    let mut vendor_of_supplier = Vec::with_capacity(scale.suppliers);
    for i in 0..scale.suppliers {
        let (name, vendor) = match VENDORS.get(i) {
            Some((n, _)) => ((*n).to_string(), Some(i)),
            None => (
                format!(
                    "{} {} {} Ltd",
                    pick(&mut rng, WORDS),
                    pick(&mut rng, TRADES),
                    i
                ),
                None,
            ),
        };
        // A company has one Companies House number wherever it sells: a well-known vendor's
        // comes from its name, so every organisation gives it the same one; a local firm's is
        // its own.
        let number = match vendor {
            Some(_) => vendor_company_number(&name),
            None => rng.gen_range(1_000_000..15_000_000),
        };
        let mut s = json!({
            "name": name,
            "companies_house": format!("{number:08}"),
            "sme": vendor.is_none() && rng.gen_bool(0.7),
        });
        if rng.gen_bool(0.2) {
            s["aliases"] = json!([name.replace(" Ltd", "").to_uppercase()]);
        }
        suppliers.push(s);
        vendor_of_supplier.push(vendor);
    }
    // Products: each vendor's own, then bespoke ones from local firms.
    let mut products = Vec::with_capacity(scale.products);
    let vendor_products: Vec<(usize, &str)> = VENDORS
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < scale.suppliers)
        .flat_map(|(i, (_, ps))| ps.iter().map(move |p| (i, *p)))
        .collect();
    for i in 0..scale.products {
        let (supplier, name) = match vendor_products.get(i) {
            Some((s, p)) => (*s, (*p).to_string()),
            None => {
                let s = rng.gen_range(0..scale.suppliers.max(1));
                (
                    s,
                    format!("{} {} {}", pick(&mut rng, WORDS), pick(&mut rng, TRADES), i),
                )
            }
        };
        products.push((supplier, json!({"name": name})));
    }
    // Systems.
    let mut systems = Vec::with_capacity(scale.systems);
    for i in 0..scale.systems {
        let p = rng.gen_range(0..scale.products.max(1));
        let (supplier, product) = &products[p];
        let product_name = product["name"].as_str().unwrap_or("System");
        let area = *pick(&mut rng, SERVICE_AREAS);
        let personal = rng.gen_bool(0.6);
        let mut s = json!({
            "name": format!("{product_name} {} {i}", pick(&mut rng, SYSTEM_USES)),
            "service_area": area,
            "category": pick(&mut rng, &["frontline", "corporate", "infrastructure"]),
            "hosting": pick(&mut rng, &["on_premises", "supplier_hosted", "saas", "paas", "iaas", "shared_service"]),
            "users": rng.gen_range(5..5000),
            "criticality": pick(&mut rng, &["critical", "high", "medium", "low"]),
            "support_status": pick(&mut rng, &["supported", "supported", "supported", "extended_support", "out_of_support", "in_house"]),
            "end_of_support": iso(date(&mut rng, 2026, 2034)),
            "satisfaction": pick(&mut rng, &["1", "2", "3", "4", "5", "dont_know"]),
            "personal_data": personal,
            "special_category_data": personal && rng.gen_bool(0.3),
            "internet_facing": rng.gen_bool(0.4),
            "mfa": pick(&mut rng, &["all_users", "admins_only", "none", "not_applicable"]),
            "backups": pick(&mut rng, &["offline_or_immutable", "online_only", "supplier_managed"]),
        });
        if personal {
            s["gdpr"] = json!({
                "ropa_entry": true,
                "lawful_basis": pick(&mut rng, &["public_task", "legal_obligation", "contract"]),
                "dpia_status": pick(&mut rng, &["complete", "in_progress", "review_due", "not_required"]),
                "art28_terms": pick(&mut rng, &["yes", "partial", "no"]),
                "transfers": pick(&mut rng, &["none", "adequacy", "idta"]),
            });
        }
        systems.push((p, *supplier, s));
    }
    // Contracts: each for one to three systems of the same supplier where possible.
    let mut contracts = Vec::with_capacity(scale.contracts);
    for i in 0..scale.contracts {
        let first = rng.gen_range(0..scale.systems.max(1));
        let supplier = systems.get(first).map_or(0, |s| s.1);
        let mut linked = vec![first];
        for _ in 0..rng.gen_range(0..3) {
            linked.push(rng.gen_range(0..scale.systems.max(1)));
        }
        linked.sort_unstable();
        linked.dedup();
        if scale.systems == 0 {
            linked.clear();
        }
        let start = date(&mut rng, 2018, 2026);
        let years = rng.gen_range(1..=7);
        let end = start + chrono::Duration::days(365 * years - 1);
        let latest = end + chrono::Duration::days(365 * rng.gen_range(0..=2));
        let annual: i64 = rng.gen_range(500_000..250_000_000); // £5,000 to £2.5m, in pence
        let title = format!(
            "{} {} {}",
            match vendor_of_supplier.get(supplier).copied().flatten() {
                Some(v) => VENDORS[v].1[0],
                None => pick(&mut rng, WORDS),
            },
            pick(
                &mut rng,
                &[
                    "licences",
                    "support and maintenance",
                    "hosting",
                    "managed service",
                    "implementation",
                    "subscription"
                ]
            ),
            i
        );
        let c = json!({
            "title": title,
            "reference": format!("CT-{:05}", i + 1),
            "start_date": iso(start),
            "end_date": iso(end),
            "latest_end_date": iso(latest),
            "notice_period_days": pick(&mut rng, &[30, 60, 90, 180]),
            "auto_renews": rng.gen_bool(0.25),
            "annual_value": annual,
            "total_value": annual * years,
            "procurement_route": pick(&mut rng, &["g_cloud", "ccs_framework", "other_framework", "open_tender", "direct_award", "below_threshold"]),
        });
        contracts.push((supplier, linked, c));
    }
    OrgData {
        suppliers,
        products,
        systems,
        contracts,
    }
}

/// Fills a return through `insert(kind, fields) -> id`, resolving links to the ids it returns.
pub(crate) fn fill<E>(
    data: &OrgData,
    mut insert: impl FnMut(RecordKind, Value) -> Result<uuid::Uuid, E>,
) -> Result<usize, E> {
    let mut n = 0;
    let mut supplier_ids = Vec::with_capacity(data.suppliers.len());
    for s in &data.suppliers {
        supplier_ids.push(insert(RecordKind::Supplier, s.clone())?);
        n += 1;
    }
    let mut product_ids = Vec::with_capacity(data.products.len());
    for (s, p) in &data.products {
        let mut p = p.clone();
        p["supplier_id"] = json!(supplier_ids[*s]);
        product_ids.push(insert(RecordKind::Product, p)?);
        n += 1;
    }
    let mut system_ids = Vec::with_capacity(data.systems.len());
    for (p, s, fields) in &data.systems {
        let mut f = fields.clone();
        f["product_id"] = json!(product_ids[*p]);
        f["supplier_id"] = json!(supplier_ids[*s]);
        system_ids.push(insert(RecordKind::System, f)?);
        n += 1;
    }
    for (s, systems, fields) in &data.contracts {
        let mut f = fields.clone();
        f["supplier_id"] = json!(supplier_ids[*s]);
        f["system_ids"] = json!(systems.iter().map(|i| system_ids[*i]).collect::<Vec<_>>());
        insert(RecordKind::Contract, f)?;
        n += 1;
    }
    Ok(n)
}

/// Fills a return a kind at a time through `insert_many(kind, records) -> ids` (in order).
pub(crate) fn fill_batched<E>(
    data: &OrgData,
    mut insert_many: impl FnMut(RecordKind, Vec<Value>) -> Result<Vec<uuid::Uuid>, E>,
) -> Result<usize, E> {
    let suppliers = insert_many(RecordKind::Supplier, data.suppliers.clone())?;
    let products = insert_many(
        RecordKind::Product,
        data.products
            .iter()
            .map(|(s, p)| {
                let mut p = p.clone();
                p["supplier_id"] = json!(suppliers[*s]);
                p
            })
            .collect(),
    )?;
    let systems = insert_many(
        RecordKind::System,
        data.systems
            .iter()
            .map(|(p, s, f)| {
                let mut f = f.clone();
                f["product_id"] = json!(products[*p]);
                f["supplier_id"] = json!(suppliers[*s]);
                f
            })
            .collect(),
    )?;
    let contracts = insert_many(
        RecordKind::Contract,
        data.contracts
            .iter()
            .map(|(s, linked, f)| {
                let mut f = f.clone();
                f["supplier_id"] = json!(suppliers[*s]);
                f["system_ids"] = json!(linked.iter().map(|i| systems[*i]).collect::<Vec<_>>());
                f
            })
            .collect(),
    )?;
    Ok(suppliers.len() + products.len() + systems.len() + contracts.len())
}

/// Column headings of the register spreadsheet (a council's contract register, as published
/// under the Local Government Transparency Code).
pub(crate) const REGISTER_COLUMNS: [&str; 12] = [
    "Reference",
    "Title",
    "Supplier",
    "Companies House number",
    "Service area",
    "Start date",
    "End date",
    "Latest end date",
    "Notice period (days)",
    "Annual value (£)",
    "Total value (£)",
    "Procurement route",
];

/// One row of the register, as typed values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Date(chrono::NaiveDate),
    Number(f64),
}

/// `rows` rows of a contract register for `seed`.
pub(crate) fn register_rows(seed: u64, rows: usize) -> Vec<Vec<Cell>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(0x5EED));
    (0..rows)
        .map(|i| {
            let v = pick(&mut rng, VENDORS);
            let start = date(&mut rng, 2018, 2026);
            let years = rng.gen_range(1..=7);
            let end = start + chrono::Duration::days(365 * years - 1);
            let latest = end + chrono::Duration::days(365 * rng.gen_range(0..=2));
            let annual_pence: i64 = rng.gen_range(500_000..250_000_000);
            vec![
                Cell::Text(format!("CT-{:06}", i + 1)),
                Cell::Text(format!(
                    "{} {} {}",
                    pick(&mut rng, v.1),
                    pick(
                        &mut rng,
                        &["licences", "support", "hosting", "managed service"]
                    ),
                    i
                )),
                Cell::Text(v.0.to_string()),
                Cell::Text(format!("{:08}", rng.gen_range(1_000_000..15_000_000))),
                Cell::Text((*pick(&mut rng, api::ServiceArea::ALL)).label().to_string()),
                Cell::Date(start),
                Cell::Date(end),
                Cell::Date(latest),
                Cell::Number(*pick(&mut rng, &[30.0, 60.0, 90.0, 180.0])),
                Cell::Number(annual_pence as f64 / 100.0),
                Cell::Number((annual_pence * years) as f64 / 100.0),
                // The register's own words: the import's answer mapping reads them.
                Cell::Text(
                    pick(
                        &mut rng,
                        &[
                            "G-Cloud 13",
                            "G Cloud 14 call-off",
                            "Quotes",
                            "Restricted procedure",
                            "Direct Award (waiver)",
                            "CCS RM6100 TS3",
                            "ESPO framework 664",
                            "Open tender",
                        ],
                    )
                    .to_string(),
                ),
            ]
        })
        .collect()
}

/// What the second cycle of [`two_cycles`] planted, over the organisations that returned both
/// times: the progress analysis must find exactly these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Planted {
    /// Organisations with no return in the second cycle (`gss:…`).
    pub(crate) missing: Vec<String>,
    pub(crate) systems_added: usize,
    pub(crate) systems_retired: usize,
    pub(crate) moved_to_cloud: usize,
    pub(crate) newly_out_of_support: usize,
    pub(crate) reprocured: usize,
    pub(crate) extended: usize,
    pub(crate) ce_lapsed: usize,
}

/// The closing dates of the two cycles: certificates and support are judged on them.
pub(crate) const CLOSES: [&str; 2] = ["2026-12-01", "2027-12-01"];

/// Whether organisation `index` sends no return in the second cycle (one in fifty).
fn misses_second(index: usize) -> bool {
    index % 50 == 7
}

/// One organisation's records with ids: suppliers, products, systems, contracts (linked), a
/// cyber and a GDPR answer set and its skills.
fn records_with_ids(seed: u64, index: usize, scale: &Scale) -> Vec<Value> {
    let data = org_data(seed, index, scale);
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(0x5EED) ^ index as u64);
    let mut id =
        || uuid::Uuid::from_u128(rng.r#gen::<u128>() & !(0xF << 76) | (4 << 76)).to_string();
    let mut out = Vec::with_capacity(data.len() + 16);
    let push = |out: &mut Vec<Value>, kind: &str, data: Value, id: String| {
        out.push(json!({"id": id, "kind": kind, "data": data}));
    };
    let suppliers: Vec<String> = data.suppliers.iter().map(|_| id()).collect();
    for (s, i) in data.suppliers.iter().zip(&suppliers) {
        push(&mut out, "supplier", s.clone(), i.clone());
    }
    let products: Vec<String> = data.products.iter().map(|_| id()).collect();
    for ((s, p), i) in data.products.iter().zip(&products) {
        let mut p = p.clone();
        p["supplier_id"] = json!(suppliers[*s]);
        push(&mut out, "product", p, i.clone());
    }
    let systems: Vec<String> = data.systems.iter().map(|_| id()).collect();
    for ((p, s, f), i) in data.systems.iter().zip(&systems) {
        let mut f = f.clone();
        f["product_id"] = json!(products[*p]);
        f["supplier_id"] = json!(suppliers[*s]);
        push(&mut out, "system", f, i.clone());
    }
    for (s, linked, f) in &data.contracts {
        let mut f = f.clone();
        f["supplier_id"] = json!(suppliers[*s]);
        f["system_ids"] = json!(linked.iter().map(|i| &systems[*i]).collect::<Vec<_>>());
        push(&mut out, "contract", f, id());
    }
    let rating = ["achieved", "partially_achieved", "not_achieved"];
    push(
        &mut out,
        "cyber",
        json!({
            "cyber_essentials": "ce", "cyber_essentials_expiry": "2027-03-01",
            "psn": "valid", "psn_expiry": "2027-06-30",
            "caf": {"A1.a": rating[index % 3], "A2.a": rating[(index + 1) % 3], "D1.a": "achieved"},
        }),
        id(),
    );
    let ico = ["not_implemented", "partial", "implemented"];
    push(
        &mut out,
        "gdpr",
        json!({"ratings": {"leadership_oversight": ico[index % 3], "breach_response": ico[(index + 2) % 3]}}),
        id(),
    );
    for (n, area) in [
        "cloud_hosting",
        "cyber_security",
        "data_analytics",
        "procurement",
    ]
    .iter()
    .enumerate()
    {
        let level = ["awareness", "working", "practitioner"][(index + n) % 3];
        push(
            &mut out,
            "skill",
            json!({"area": area, "level": level}),
            id(),
        );
    }
    out
}

fn org_entry(o: &OrgSpec, received: &str, records: Vec<Value>) -> Value {
    json!({"organisation": format!("gss:{}", o.code), "name": o.name, "received_at": received, "records": records})
}

fn is_kind(r: &Value, kind: &str) -> bool {
    r["kind"] == kind
}

/// Two cycles' returns files (`2026-27`, `2027-28`) of `scale.orgs` organisations, and what the
/// second planted. The second is the first carried forward, with in each organisation: a system
/// moved from on premises to SaaS, one retired and one added, a contract re-procured (a new
/// contract for its systems) and one extended, the certificate renewed (not in one in ten, where
/// it lapses); decoys: a notice period changed (no extension) and a product's name in capitals
/// (no switch). One organisation in fifty sends no second return.
pub(crate) fn two_cycles(seed: u64, scale: &Scale) -> (Value, Value, Planted) {
    let orgs = organisations(scale.orgs);
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let mut planted = Planted::default();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let (from_ref, to_ref) = (day(CLOSES[0]), day(CLOSES[1]));
    for (i, o) in orgs.iter().enumerate() {
        let records = records_with_ids(seed, i, scale);
        first.push(org_entry(o, "2026-11-01", records.clone()));
        if misses_second(i) {
            planted.missing.push(format!("gss:{}", o.code));
            continue;
        }
        let mut next: Vec<Value> = Vec::with_capacity(records.len() + 2);
        let (mut cloud, mut retired, mut reprocured, mut extended, mut decoy) =
            (false, false, false, false, false);
        let mut product_renamed = false;
        let mut systems_seen = 0;
        for mut r in records {
            if is_kind(&r, "product") && !product_renamed {
                let upper = r["data"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_uppercase();
                r["data"]["name"] = json!(upper);
                product_renamed = true;
            }
            if is_kind(&r, "system") {
                systems_seen += 1;
                if systems_seen == 2 && !retired {
                    retired = true;
                    planted.systems_retired += 1;
                    continue;
                }
                if systems_seen > 2 && !cloud && r["data"]["hosting"] == "on_premises" {
                    r["data"]["hosting"] = json!("saas");
                    cloud = true;
                    planted.moved_to_cloud += 1;
                }
                let d = &r["data"];
                let eos = d["end_of_support"].as_str().and_then(day);
                let out = d["support_status"] == "out_of_support";
                if !out && eos >= from_ref && eos < to_ref {
                    planted.newly_out_of_support += 1;
                }
            }
            if is_kind(&r, "contract") {
                if !reprocured {
                    reprocured = true;
                    planted.reprocured += 1;
                    let mut new = r["data"].clone();
                    new["title"] = json!("Re-procured service");
                    new["start_date"] = json!(format!("2027-{:02}-01", 1 + i % 9));
                    new["end_date"] = json!(format!("2030-{:02}-28", 1 + i % 9));
                    new["latest_end_date"] = json!(format!("2031-{:02}-28", 1 + i % 9));
                    next.push(json!({"id": uuid::Uuid::from_u128((seed as u128) << 64 | i as u128).to_string(), "kind": "contract", "data": new}));
                    continue;
                }
                if !extended {
                    extended = true;
                    planted.extended += 1;
                    let end = r["data"]["end_date"]
                        .as_str()
                        .and_then(day)
                        .unwrap_or_default();
                    r["data"]["end_date"] = json!(iso(end + chrono::Duration::days(365)));
                    r["data"]["latest_end_date"] = json!(iso(end + chrono::Duration::days(730)));
                } else if !decoy {
                    decoy = true;
                    r["data"]["notice_period_days"] = json!(365);
                }
            }
            if is_kind(&r, "cyber") {
                if i % 10 == 3 {
                    planted.ce_lapsed += 1;
                } else {
                    r["data"]["cyber_essentials_expiry"] = json!("2028-03-01");
                }
                r["data"]["psn_expiry"] = json!("2028-06-30");
            }
            next.push(r);
        }
        next.push(json!({
            "id": uuid::Uuid::from_u128((seed as u128) << 64 | (1 << 32) | i as u128).to_string(),
            "kind": "system",
            "data": {"name": format!("New service {i}"), "service_area": "esd:72", "hosting": "saas", "support_status": "supported"},
        }));
        planted.systems_added += 1;
        second.push(org_entry(o, "2027-11-01", next));
    }
    (
        json!({"cycle": "2026-27", "closes": CLOSES[0], "organisations": first}),
        json!({"cycle": "2027-28", "closes": CLOSES[1], "organisations": second}),
        planted,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_data_and_another_seed_does_not() {
        let scale = Scale {
            orgs: 2,
            systems: 20,
            contracts: 10,
            suppliers: 8,
            products: 12,
        };
        let a = org_data(7, 1, &scale);
        let b = org_data(7, 1, &scale);
        let c = org_data(8, 1, &scale);
        assert_eq!(a.systems[5].2, b.systems[5].2);
        assert_ne!(a.systems[5].2, c.systems[5].2);
        assert_eq!(a.len(), 50);
        assert_eq!(register_rows(3, 5), register_rows(3, 5));
    }

    #[test]
    fn a_vendor_keeps_its_companies_house_number_across_organisations() {
        let scale = Scale {
            orgs: 2,
            systems: 5,
            contracts: 5,
            suppliers: VENDORS.len() + 5,
            products: 12,
        };
        let (a, b) = (org_data(7, 0, &scale), org_data(7, 1, &scale));
        let number = |d: &OrgData, i: usize| d.suppliers[i]["companies_house"].clone();
        for (i, (vendor, _)) in VENDORS.iter().enumerate() {
            assert_eq!(number(&a, i), number(&b, i), "{vendor}");
        }
        let local = VENDORS.len() + 2;
        assert_ne!(number(&a, local), number(&b, local));
        let first = number(&a, 0);
        assert_eq!(first.as_str().map(str::len), Some(8), "{first}");
    }

    #[test]
    fn generated_fields_exist_in_the_questionnaire() {
        let scale = Scale {
            orgs: 1,
            systems: 30,
            contracts: 15,
            suppliers: 35,
            products: 40,
        };
        let data = org_data(1, 0, &scale);
        let n = fill(&data, |kind, fields| {
            let t = api::record_template(kind);
            for k in fields.as_object().into_iter().flat_map(|o| o.keys()) {
                assert!(t.get(k).is_some(), "{kind:?} has no field {k}");
            }
            Ok::<_, ()>(uuid::Uuid::new_v4())
        })
        .unwrap();
        assert_eq!(n, 120);
    }

    /// The second cycle's planted changes are found by the progress analysis, and its decoys
    /// are not; the organisation that sent no return is missing.
    #[test]
    fn the_progress_analysis_finds_what_the_second_cycle_planted() {
        let scale = Scale {
            orgs: 9,
            systems: 30,
            contracts: 15,
            suppliers: 35,
            products: 40,
        };
        let (a, b, planted) = two_cycles(3, &scale);
        let dir = tempfile::tempdir().unwrap();
        let (fa, fb) = (dir.path().join("a.json"), dir.path().join("b.json"));
        std::fs::write(&fa, a.to_string()).unwrap();
        std::fs::write(&fb, b.to_string()).unwrap();
        let r = api::progress_from_returns(
            &fa,
            &fb,
            &api::ProgressOptions::default(),
            &api::AnalysisFilter::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(planted.missing, vec!["gss:E09000008".to_string()]);
        let missing: Vec<&str> = r
            .organisations
            .iter()
            .filter(|o| o.returns == api::ReturnPair::NoReturnNow)
            .map(|o| o.organisation.as_str())
            .collect();
        assert_eq!(missing, planted.missing);
        let s = &r.london.systems;
        let c = &r.london.contracts;
        assert_eq!(
            (
                s.added,
                s.retired,
                s.moved_to_cloud,
                s.newly_out_of_support,
                c.reprocured,
                c.extended,
                r.london.cyber_essentials.lapsed
            ),
            (
                planted.systems_added,
                planted.systems_retired,
                planted.moved_to_cloud,
                planted.newly_out_of_support,
                planted.reprocured,
                planted.extended,
                planted.ce_lapsed
            )
        );
        assert!(planted.moved_to_cloud > 0 && planted.ce_lapsed > 0);
        assert_eq!((s.products_switched, c.ended), (0, 0), "a decoy was found");
    }

    #[test]
    fn organisations_beyond_london_have_unused_codes() {
        let orgs = organisations(400);
        assert_eq!(orgs.len(), 400);
        assert_eq!(orgs[6].code, "E09000007");
        assert!(orgs[33].id.starts_with("gss:E0799"));
        let mut codes: Vec<&str> = orgs.iter().map(|o| o.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 400);
    }
}
