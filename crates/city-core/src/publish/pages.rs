//! The site's pages and their frame. Every page carries the protective marking of its profile
//! (`ExportProfile::marking`) at the top and the bottom, the profile's description, when the
//! site was made, and a Content-Security-Policy that lets it load nothing from outside its own
//! folder. Figures come from the analysis (`Analysis`'s report, shared products and index of
//! matched suppliers and products) and from the export's tables for the profile
//! (`export::table`), never from a sensitive field.

use super::html::{Cell, Chart, Filter, Kind, Measure, Row, Table, esc, figures, thousands};
use super::pipeline::{self, HORIZON_MONTHS, Pipeline};
use super::{SiteInput, html};
use crate::domain::enums::RecordKind;
use crate::domain::records::RecordData;
use crate::export::table::{key_figures, readiness_table};
use crate::export::{ExportProfile, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One page of the site.
pub(crate) struct Page {
    pub(crate) file: &'static str,
    pub(crate) title: &'static str,
    /// The navigation's shorter name.
    nav: &'static str,
}

/// The pages, in navigation order.
pub(crate) const PAGES: [Page; 8] = [
    Page {
        file: "index.html",
        title: "London technology landscape",
        nav: "Overview",
    },
    Page {
        file: "pipeline.html",
        title: "Procurement pipeline",
        nav: "Pipeline",
    },
    Page {
        file: "systems.html",
        title: "Systems by service area and organisation",
        nav: "Systems",
    },
    Page {
        file: "products.html",
        title: "Products used by several organisations",
        nav: "Shared products",
    },
    Page {
        file: "suppliers.html",
        title: "Supplier concentration",
        nav: "Suppliers",
    },
    Page {
        file: "skills.html",
        title: "Skills offered and wanted",
        nav: "Skills",
    },
    Page {
        file: "readiness.html",
        title: "Readiness by organisation",
        nav: "Readiness",
    },
    Page {
        file: "downloads.html",
        title: "Download the data",
        nav: "Downloads",
    },
];

/// Nothing outside the folder: scripts and styles from the folder only, no inline code,
/// no frames, no forms sent anywhere.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

/// The site's content, made once and rendered page by page.
pub(crate) struct Site<'a> {
    input: &'a SiteInput<'a>,
    pipe: &'a Pipeline<'a>,
    downloads: &'a [(String, usize)],
}

fn value_text(v: &Value) -> Cell {
    match v {
        Value::Empty => Cell::text(""),
        Value::Text(t) => Cell::text(t.clone()),
        Value::Int(i) => Cell::int(*i),
        Value::Number(x) => Cell {
            text: format!("{x:.1}"),
            sort: Some(x.to_string()),
            value: None,
        },
        Value::Money(p) => Cell::money(Some(p.0)),
        Value::Date(d) => Cell::date(Some(d.to_string())),
        Value::Bool(b) => Cell {
            text: if *b { "Yes" } else { "No" }.into(),
            sort: None,
            value: Some(i64::from(*b)),
        },
    }
}

fn yes_no(b: bool) -> Cell {
    Cell {
        text: if b { "Yes" } else { "No" }.into(),
        sort: None,
        value: Some(i64::from(b)),
    }
}

fn chart(id: &str, title: &str, table: &Table, group: usize, measure: Measure) -> Chart {
    Chart {
        id: id.into(),
        title: title.into(),
        table: table.id.clone(),
        group,
        measure,
        money: false,
        limit: 12,
        by_label: false,
    }
}

impl<'a> Site<'a> {
    pub(crate) fn new(
        input: &'a SiteInput<'a>,
        pipe: &'a Pipeline<'a>,
        downloads: &'a [(String, usize)],
    ) -> Site<'a> {
        Site {
            input,
            pipe,
            downloads,
        }
    }

    fn cycle(&self) -> &str {
        &self.input.ds.cycle
    }

    /// A whole page.
    pub(crate) fn render(&self, page: &Page) -> String {
        let body = match page.file {
            "index.html" => self.overview(),
            "pipeline.html" => self.pipeline(),
            "systems.html" => self.systems(),
            "products.html" => self.products(),
            "suppliers.html" => self.suppliers(),
            "skills.html" => self.skills(),
            "readiness.html" => self.readiness(),
            _ => self.downloads(),
        };
        self.frame(page, &body)
    }

    fn frame(&self, page: &Page, body: &str) -> String {
        let profile = self.input.profile;
        let marking = profile.marking();
        let mut nav = String::new();
        for p in &PAGES {
            let current = if p.file == page.file {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = write!(
                nav,
                "<li><a class=\"nav-link\" href=\"{}\"{current}>{}</a></li>",
                p.file, p.nav
            );
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>{title} – London technology landscape {cycle} – {marking}</title>\n<link rel=\"stylesheet\" href=\"assets/site.css\">\n<script src=\"assets/site.js\" defer></script>\n</head>\n<body>\n<a href=\"#main\" class=\"skip-link\">Skip to main content</a>\n<p class=\"marking\" data-marking>{marking}</p>\n<header class=\"header\"><div class=\"width-container\"><a class=\"header-title\" href=\"index.html\">London technology landscape</a> <span class=\"header-sub\">LOTI · {cycle} returns</span></div></header>\n<div class=\"width-container\">\n<nav aria-label=\"Site pages\"><ul class=\"nav\">{nav}</ul></nav>\n<main id=\"main\" tabindex=\"-1\">\n<h1 class=\"heading-l\">{title}</h1>\n{body}</main>\n</div>\n<footer class=\"footer\"><div class=\"width-container\"><p>Made by City Tools on {made} from the {cycle} returns. Profile: <strong>{profile_id}</strong>. {description}</p><p class=\"marking marking-footer\">{marking}</p></div></footer>\n</body>\n</html>\n",
            title = esc(page.title),
            cycle = esc(self.cycle()),
            made = esc(&self.input.made_on),
            profile_id = profile.id(),
            description = esc(profile.description()),
        )
    }

    fn overview(&self) -> String {
        let ds = self.input.ds;
        let ix = self.input.analysis.index();
        let mut items: Vec<(String, String)> = vec![
            (
                "Returns received".into(),
                format!(
                    "{} of {} organisations",
                    ds.returns.len(),
                    ds.status.rows.len().max(ds.returns.len())
                ),
            ),
            ("Made on".into(), self.input.made_on.clone()),
            (
                "Profile".into(),
                format!(
                    "{} ({})",
                    self.input.profile.id(),
                    self.input.profile.marking()
                ),
            ),
            (
                "Suppliers (matched across organisations)".into(),
                thousands(ix.res.suppliers.len() as i64),
            ),
            (
                "Products (matched across organisations)".into(),
                thousands(ix.res.products.len() as i64),
            ),
            (
                format!("Contracts to decide or ending in the next {HORIZON_MONTHS} months"),
                thousands(self.pipe.contracts.len() as i64),
            ),
            (
                "Joint procurement windows in those months".into(),
                thousands(self.pipe.windows.len() as i64),
            ),
        ];
        for (k, v) in key_figures(ds, self.input.profile) {
            if k == "Cycle" || k == "Organisations with a return" {
                continue;
            }
            items.push((k, value_text(&v).text));
        }
        let mut s = format!(
            "<p class=\"lead\">What London's boroughs told LOTI about their technology in the {} returns: the systems they run, who supplies them, which products several of them use, the skills they can share, and the contracts coming up for renewal.</p>\n<h2 class=\"heading-m\">Key figures</h2>\n",
            esc(self.cycle())
        );
        s.push_str(&figures(&items));
        let mut t = Table::new(
            "returns",
            "Returns received",
            &[("Organisation", Kind::Text), ("Received", Kind::Text)],
        );
        for r in &ds.status.rows {
            let org = match r.first() {
                Some(Value::Text(t)) => t.clone(),
                _ => continue,
            };
            let received = match r.get(2) {
                Some(Value::Bool(b)) => *b,
                _ => true,
            };
            t.rows
                .push(Row::new(vec![Cell::text(org), yes_no(received)]));
        }
        if t.rows.is_empty() {
            for r in &ds.returns {
                t.rows
                    .push(Row::new(vec![Cell::text(r.name.clone()), yes_no(true)]));
            }
        }
        s.push_str("<h2 class=\"heading-m\">Returns received</h2>\n");
        s.push_str(&t.html());
        s
    }

    fn pipeline(&self) -> String {
        let p = self.pipe;
        let today = p.from;
        let mut t = Table::new(
            "pipeline",
            "Contracts to decide or ending soon",
            &[
                ("Decision due", Kind::Text),
                ("Decide by", Kind::Date),
                ("Contract ends", Kind::Date),
                ("Organisation", Kind::Text),
                ("Contract", Kind::Text),
                ("Supplier", Kind::Text),
                ("Products", Kind::Text),
                ("Service areas", Kind::Text),
                ("Annual value", Kind::Number),
            ],
        );
        for c in &p.contracts {
            let areas: Vec<String> = c
                .service_areas
                .iter()
                .map(|a| a.label().to_string())
                .collect();
            let supplier = c.supplier_name.clone().unwrap_or_default();
            t.rows.push(
                Row::new(vec![
                    Cell::text(pipeline::when(c, today)),
                    Cell::date(c.decision_date.map(|d| d.to_string())),
                    Cell::date(c.end_used.map(|d| d.to_string())),
                    Cell::text(c.organisation_name.clone()),
                    Cell::text(c.title.clone()),
                    Cell::text(supplier.clone()),
                    Cell::text(c.product_names.join(", ")),
                    Cell::text(areas.join(", ")),
                    Cell::money(c.annual_value.map(|v| v.0)),
                ])
                .by(Filter::Organisation, [c.organisation_name.clone()])
                .by(Filter::Supplier, [supplier])
                .by(Filter::ServiceArea, areas)
                .by(Filter::System, c.product_names.iter().cloned())
                .by(Filter::ContractEnd, c.end_used.map(|d| d.to_string())),
            );
        }
        let mut s = format!(
            "<p class=\"lead\">Contracts whose decision date or end falls between {} and {} ({HORIZON_MONTHS} months): what suppliers and new entrants need to see early, and where boroughs could buy together.</p>\n<p class=\"body\">The decision date is the last day to act: the contract's end, less its notice period, less nine months to procure a replacement. The same contracts are in <a href=\"data/pipeline-ocds.json\">OCDS planning releases</a>.</p>\n",
            html::uk_date(&p.from.to_string()),
            html::uk_date(&p.until.to_string())
        );
        s.push_str(&t.filters(&[
            Filter::Organisation,
            Filter::Supplier,
            Filter::ServiceArea,
            Filter::System,
            Filter::ContractEnd,
        ]));
        let by_quarter = Chart {
            by_label: true,
            limit: 20,
            ..chart(
                "pipeline-quarter",
                "Contracts by quarter of decision",
                &t,
                0,
                Measure::Count,
            )
        };
        let value_by_quarter = Chart {
            by_label: true,
            limit: 20,
            money: true,
            ..chart(
                "pipeline-value",
                "Annual value by quarter of decision",
                &t,
                0,
                Measure::Sum(8),
            )
        };
        s.push_str("<div class=\"charts\">\n");
        s.push_str(&by_quarter.html(&t));
        s.push_str(&value_by_quarter.html(&t));
        s.push_str(
            &chart(
                "pipeline-area",
                "Contracts by service area",
                &t,
                7,
                Measure::Count,
            )
            .html(&t),
        );
        s.push_str(
            &chart(
                "pipeline-supplier",
                "Contracts by supplier (top 12)",
                &t,
                5,
                Measure::Count,
            )
            .html(&t),
        );
        s.push_str(
            &chart(
                "pipeline-product",
                "Contracts by product (top 12)",
                &t,
                6,
                Measure::Count,
            )
            .html(&t),
        );
        s.push_str("</div>\n");
        s.push_str(&t.html());

        let mut w = Table::new(
            "windows",
            "Joint procurement windows",
            &[
                ("Grouped by", Kind::Text),
                ("Product, supplier or service area", Kind::Text),
                ("Organisations", Kind::Number),
                ("Which organisations", Kind::Text),
                ("Contracts", Kind::Number),
                ("First decision", Kind::Date),
                ("Last decision", Kind::Date),
                ("Annual value", Kind::Number),
                ("Why", Kind::Text),
            ],
        );
        for win in &p.windows {
            let grouping = match win.grouping {
                crate::api::WindowGrouping::Product => "Product",
                crate::api::WindowGrouping::Supplier => "Supplier",
                crate::api::WindowGrouping::ServiceArea => "Service area",
            };
            let suppliers: Vec<String> = win
                .contracts
                .iter()
                .filter_map(|c| c.supplier_name.clone())
                .collect();
            let mut row = Row::new(vec![
                Cell::text(grouping),
                Cell::text(win.group_name.clone()),
                Cell::int(win.organisations.len() as i64),
                Cell::text(win.organisation_names.join(", ")),
                Cell::int(win.contracts.len() as i64),
                Cell::date(Some(win.first_decision.to_string())),
                Cell::date(Some(win.last_decision.to_string())),
                Cell::money(Some(win.annual_value.0)),
                Cell::text(win.explanation.clone()),
            ])
            .by(Filter::Organisation, win.organisation_names.iter().cloned())
            .by(Filter::Supplier, suppliers);
            if win.grouping == crate::api::WindowGrouping::ServiceArea {
                row = row.by(Filter::ServiceArea, [win.group_name.clone()]);
            }
            if win.grouping == crate::api::WindowGrouping::Product {
                row = row.by(Filter::System, [win.group_name.clone()]);
            }
            w.rows.push(row);
        }
        s.push_str("<h2 class=\"heading-m\">Joint procurement windows</h2>\n<p class=\"body\">Contracts for the same product, supplier or service area in two or more organisations whose decision dates fall within 12 months of each other, most money first.</p>\n");
        s.push_str(&w.filters(&[Filter::Organisation, Filter::Supplier, Filter::ServiceArea]));
        s.push_str(
            &Chart {
                money: true,
                ..chart(
                    "windows-value",
                    "Annual value at stake by window (top 12)",
                    &w,
                    1,
                    Measure::Sum(7),
                )
            }
            .html(&w),
        );
        s.push_str(&w.html());
        s
    }

    fn systems(&self) -> String {
        let ix = self.input.analysis.index();
        // (organisation, service area, product, supplier) → systems.
        let mut groups: BTreeMap<(String, String, String, String), i64> = BTreeMap::new();
        for (oi, o) in ix.orgs.iter().enumerate() {
            for (_, r) in &o.records {
                let RecordData::System(sys) = r else { continue };
                let area = sys
                    .service_area
                    .map_or(String::new(), |a| a.label().to_string());
                let product = ix
                    .product(oi, sys.product_id)
                    .map_or(String::new(), |p| ix.res.products[p].name.clone());
                let supplier = ix
                    .supplier(oi, sys.supplier_id)
                    .map_or(String::new(), |s| ix.res.suppliers[s].name.clone());
                *groups
                    .entry((o.name.clone(), area, product, supplier))
                    .or_default() += 1;
            }
        }
        let mut t = Table::new(
            "systems",
            "Systems by organisation, service area, product and supplier",
            &[
                ("Organisation", Kind::Text),
                ("Service area", Kind::Text),
                ("Product", Kind::Text),
                ("Supplier", Kind::Text),
                ("Systems", Kind::Number),
            ],
        );
        for ((org, area, product, supplier), n) in groups {
            t.rows.push(
                Row::new(vec![
                    Cell::text(org.clone()),
                    Cell::text(area.clone()),
                    Cell::text(product.clone()),
                    Cell::text(supplier.clone()),
                    Cell::int(n),
                ])
                .by(Filter::Organisation, [org])
                .by(Filter::ServiceArea, [area])
                .by(Filter::Supplier, [supplier])
                .by(Filter::System, [product]),
            );
        }
        let mut s = String::from(
            "<p class=\"lead\">The systems each organisation runs, counted by service area, product and supplier (suppliers and products matched across organisations by identifier and name).</p>\n",
        );
        s.push_str(&t.filters(&[
            Filter::Organisation,
            Filter::ServiceArea,
            Filter::Supplier,
            Filter::System,
        ]));
        s.push_str("<div class=\"charts\">\n");
        s.push_str(
            &chart(
                "systems-area",
                "Systems by service area",
                &t,
                1,
                Measure::Sum(4),
            )
            .html(&t),
        );
        s.push_str(
            &Chart {
                limit: 40,
                ..chart(
                    "systems-org",
                    "Systems by organisation",
                    &t,
                    0,
                    Measure::Sum(4),
                )
            }
            .html(&t),
        );
        s.push_str("</div>\n");
        s.push_str(&t.html());
        s
    }

    fn products(&self) -> String {
        let mut t = Table::new(
            "products",
            "Products used by two or more organisations",
            &[
                ("Product", Kind::Text),
                ("Supplier", Kind::Text),
                ("Organisations", Kind::Number),
                ("Who uses it", Kind::Text),
                ("Service areas", Kind::Text),
                ("Mean satisfaction (1–5)", Kind::Number),
                ("Next contract end", Kind::Date),
            ],
        );
        for p in self.input.shared {
            let mut names: Vec<String> =
                p.uses.iter().map(|u| u.organisation_name.clone()).collect();
            names.sort();
            names.dedup();
            let areas: Vec<String> = p
                .service_areas
                .iter()
                .map(|a| a.label().to_string())
                .collect();
            let ends: Vec<String> = p
                .uses
                .iter()
                .flat_map(|u| u.contract_ends.iter().map(|d| d.to_string()))
                .collect();
            let next = ends
                .iter()
                .filter(|d| d.as_str() >= self.pipe.from.to_string().as_str())
                .min()
                .cloned();
            let supplier = p.supplier_name.clone().unwrap_or_default();
            t.rows.push(
                Row::new(vec![
                    Cell::text(p.product_name.clone()),
                    Cell::text(supplier.clone()),
                    Cell::int(p.organisations.len() as i64),
                    Cell::text(names.join(", ")),
                    Cell::text(areas.join(", ")),
                    p.mean_satisfaction.map_or(Cell::text(""), |m| Cell {
                        text: format!("{m:.1}"),
                        sort: Some(m.to_string()),
                        value: None,
                    }),
                    Cell::date(next),
                ])
                .by(Filter::Organisation, names)
                .by(Filter::Supplier, [supplier])
                .by(Filter::ServiceArea, areas)
                .by(Filter::System, [p.product_name.clone()])
                .by(Filter::ContractEnd, ends),
            );
        }
        let mut s = String::from(
            "<p class=\"lead\">Who else uses this? Products that two or more organisations run, with how satisfied they are and when their contracts end.</p>\n",
        );
        s.push_str(&t.filters(&[
            Filter::Organisation,
            Filter::Supplier,
            Filter::ServiceArea,
            Filter::System,
            Filter::ContractEnd,
        ]));
        s.push_str(
            &chart(
                "products-orgs",
                "Organisations using each product (top 12)",
                &t,
                0,
                Measure::Sum(2),
            )
            .html(&t),
        );
        s.push_str(&t.html());
        s
    }

    fn suppliers(&self) -> String {
        let c = &self.input.report.concentration;
        let o = &c.overall;
        let mut s = String::from(
            "<p class=\"lead\">How concentrated the market is: each supplier's share of the contracts and their annual value, overall and in each service area.</p>\n",
        );
        s.push_str(&figures(&[
            ("Contracts".into(), thousands(o.contracts as i64)),
            ("Suppliers".into(), thousands(o.supplier_count as i64)),
            (
                "Top 10 suppliers' share of contracts".into(),
                format!("{:.1}%", o.top10_contract_share_pct),
            ),
            (
                "Top 10 suppliers' share of annual value".into(),
                format!("{:.1}%", o.top10_value_share_pct),
            ),
            (
                "Herfindahl–Hirschman index (contracts, 0–10,000)".into(),
                format!("{:.0}", o.hhi_contracts),
            ),
        ]));
        let mut t = Table::new(
            "shares",
            "Supplier shares by service area",
            &[
                ("Service area", Kind::Text),
                ("Supplier", Kind::Text),
                ("Contracts", Kind::Number),
                ("Share of the area's contracts", Kind::Number),
                ("Annual value", Kind::Number),
                ("Organisations", Kind::Number),
            ],
        );
        for slice in &c.by_service_area {
            for sh in &slice.suppliers {
                t.rows.push(
                    Row::new(vec![
                        Cell::text(slice.label.clone()),
                        Cell::text(sh.supplier_name.clone()),
                        Cell::int(sh.contracts as i64),
                        Cell::pct(sh.contract_share_pct),
                        Cell::money(Some(sh.annual_value.0)),
                        Cell::int(sh.organisations as i64),
                    ])
                    .by(Filter::ServiceArea, [slice.label.clone()])
                    .by(Filter::Supplier, [sh.supplier_name.clone()]),
                );
            }
        }
        s.push_str(&t.filters(&[Filter::ServiceArea, Filter::Supplier]));
        s.push_str("<div class=\"charts\">\n");
        s.push_str(
            &chart(
                "shares-contracts",
                "Contracts by supplier (top 12)",
                &t,
                1,
                Measure::Sum(2),
            )
            .html(&t),
        );
        s.push_str(
            &Chart {
                money: true,
                ..chart(
                    "shares-value",
                    "Annual value by supplier (top 12)",
                    &t,
                    1,
                    Measure::Sum(4),
                )
            }
            .html(&t),
        );
        s.push_str("</div>\n");
        s.push_str(&t.html());
        let mut a = Table::new(
            "areas",
            "Concentration in each service area",
            &[
                ("Service area", Kind::Text),
                ("Contracts", Kind::Number),
                ("Suppliers", Kind::Number),
                ("Top 10 share of contracts", Kind::Number),
                ("HHI (contracts)", Kind::Number),
                ("HHI (annual value)", Kind::Number),
            ],
        );
        for slice in &c.by_service_area {
            a.rows.push(
                Row::new(vec![
                    Cell::text(slice.label.clone()),
                    Cell::int(slice.contracts as i64),
                    Cell::int(slice.supplier_count as i64),
                    Cell::pct(slice.top10_contract_share_pct),
                    Cell::int(slice.hhi_contracts.round() as i64),
                    Cell::int(slice.hhi_value.round() as i64),
                ])
                .by(Filter::ServiceArea, [slice.label.clone()]),
            );
        }
        s.push_str("<h2 class=\"heading-m\">Concentration in each service area</h2>\n<p class=\"body\">The Herfindahl–Hirschman index is the sum of the squared percentage shares: above 2,500 a market is usually called highly concentrated.</p>\n");
        s.push_str(&a.filters(&[Filter::ServiceArea]));
        s.push_str(
            &chart(
                "areas-hhi",
                "HHI on contracts by service area",
                &a,
                0,
                Measure::Sum(4),
            )
            .html(&a),
        );
        s.push_str(&a.html());
        s
    }

    fn skills(&self) -> String {
        let mut t = Table::new(
            "skills",
            "Skills each organisation rated, offers or wants",
            &[
                ("Organisation", Kind::Text),
                ("Skill area", Kind::Text),
                ("Level", Kind::Text),
                ("Offers support", Kind::Number),
                ("Wants support", Kind::Number),
            ],
        );
        for o in &self.input.ds.returns {
            for (_, r) in &o.records {
                let RecordData::Skill(sk) = r else { continue };
                let area = sk.area.map_or(String::new(), |a| a.label().to_string());
                t.rows.push(
                    Row::new(vec![
                        Cell::text(o.name.clone()),
                        Cell::text(area.clone()),
                        Cell::text(sk.level.map_or("", |l| l.label())),
                        yes_no(sk.can_offer_support == Some(true)),
                        yes_no(sk.wants_support == Some(true)),
                    ])
                    .by(Filter::Organisation, [o.name.clone()])
                    .by(Filter::SkillArea, [area]),
                );
            }
        }
        let mut s = String::from(
            "<p class=\"lead\">Where organisations can help each other: the capabilities they rated, the support they offer and the support they want.</p>\n",
        );
        s.push_str(&t.filters(&[Filter::Organisation, Filter::SkillArea]));
        s.push_str("<div class=\"charts\">\n");
        s.push_str(
            &chart(
                "skills-offered",
                "Organisations offering support by area",
                &t,
                1,
                Measure::Sum(3),
            )
            .html(&t),
        );
        s.push_str(
            &chart(
                "skills-wanted",
                "Organisations wanting support by area",
                &t,
                1,
                Measure::Sum(4),
            )
            .html(&t),
        );
        s.push_str("</div>\n");
        s.push_str(&t.html());
        let mut p = Table::new(
            "pairs",
            "Peer-support pairs",
            &[
                ("Skill area", Kind::Text),
                ("Could help", Kind::Text),
                ("Their level", Kind::Text),
                ("Could be helped", Kind::Text),
                ("Their level", Kind::Text),
                ("Why", Kind::Text),
            ],
        );
        for pair in &self.input.report.skills {
            let area = pair.area.label().to_string();
            p.rows.push(
                Row::new(vec![
                    Cell::text(area.clone()),
                    Cell::text(pair.provider_name.clone()),
                    Cell::text(pair.provider_level.map_or("", |l| l.label())),
                    Cell::text(pair.seeker_name.clone()),
                    Cell::text(pair.seeker_level.map_or("", |l| l.label())),
                    Cell::text(pair.reason.clone()),
                ])
                .by(
                    Filter::Organisation,
                    [pair.provider_name.clone(), pair.seeker_name.clone()],
                )
                .by(Filter::SkillArea, [area]),
            );
        }
        s.push_str("<h2 class=\"heading-m\">Peer-support pairs</h2>\n<p class=\"body\">One organisation strong in an area (or offering help) and another weak in it (or asking for help), strongest pairs first.</p>\n");
        s.push_str(&p.filters(&[Filter::Organisation, Filter::SkillArea]));
        s.push_str(&p.html());
        s
    }

    fn readiness(&self) -> String {
        let table = readiness_table(self.input.ds, self.input.profile);
        let columns: Vec<(&str, Kind)> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let kind = match table.rows.iter().find_map(|r| match r.get(i) {
                    Some(Value::Empty) | None => None,
                    Some(v) => Some(v),
                }) {
                    Some(Value::Int(_) | Value::Number(_) | Value::Money(_)) => Kind::Number,
                    Some(Value::Date(_)) => Kind::Date,
                    _ => Kind::Text,
                };
                (c.header.as_str(), kind)
            })
            .collect();
        let mut t = Table::new("readiness", &table.title, &columns);
        for r in &table.rows {
            let org = match r.first() {
                Some(Value::Text(t)) => t.clone(),
                _ => String::new(),
            };
            t.rows
                .push(Row::new(r.iter().map(value_text).collect()).by(Filter::Organisation, [org]));
        }
        let intro = match self.input.profile {
            ExportProfile::Open => {
                "Certificates and the ICO accountability ratings each organisation gave. Security answers are not published."
            }
            _ => {
                "Certificates, the ICO accountability ratings and, as counts per organisation only, the security answers."
            }
        };
        let mut s = format!("<p class=\"lead\">{}</p>\n", esc(intro));
        s.push_str(&t.filters(&[Filter::Organisation]));
        s.push_str(&t.html());
        s
    }

    fn downloads(&self) -> String {
        let mut s = format!(
            "<p class=\"lead\">The data behind these pages, for the {} profile: CSV (UTF-8, opens in a spreadsheet) and Open Contracting Data Standard 1.1 JSON.</p>\n<ul class=\"list\">\n",
            self.input.profile.id()
        );
        for (name, rows) in self.downloads {
            let what = describe(name);
            let unit = if name.ends_with(".json") {
                "releases"
            } else {
                "rows"
            };
            let _ = writeln!(
                s,
                "<li><a href=\"data/{n}\" download>{n}</a> — {what} ({} {unit})</li>",
                thousands(*rows as i64),
                n = esc(name),
            );
        }
        s.push_str("</ul>\n");
        s
    }
}

fn describe(file: &str) -> String {
    if file == "contracts-ocds.json" {
        return "every contract as an OCDS release (award and contract)".into();
    }
    if file == "pipeline-ocds.json" {
        return format!(
            "the contracts to decide or ending in the next {HORIZON_MONTHS} months as OCDS planning releases, each linked to its current contract's release"
        );
    }
    if file == "readiness.csv" {
        return "readiness per organisation".into();
    }
    RecordKind::ALL
        .iter()
        .find(|k| format!("{}s.csv", k.id()) == file)
        .map_or_else(|| file.to_string(), |k| format!("{} records", k.plural()))
}
