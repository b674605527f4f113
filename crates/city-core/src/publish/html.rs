//! HTML for the site, written with format strings: every piece of text from a return goes
//! through [`esc`] (text and attribute values alike), so user text can never become markup.
//! Builds the page frame (header, navigation, protective marking, footer), sortable tables (the
//! first rows in the HTML, every row with its filter values in a data block beside the table),
//! the filter form (a long select's options in the data, filled when first used), and bar charts as
//! inline SVG with a table of the same figures beside each. `assets/site.js` re-draws the charts
//! from the rows a filter leaves, with the same rules as [`chart`] here.

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Escapes text for HTML text and double- or single-quoted attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// £ with thousands separators, whole pounds (pence rounded down).
pub(crate) fn money(pence: i64) -> String {
    format!("£{}", thousands(pence / 100))
}

/// An integer with thousands separators.
pub(crate) fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A filter the pages offer, as the 2019 dashboard had them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filter {
    Organisation,
    Supplier,
    ServiceArea,
    /// A system or product name (typed: part of a name matches).
    System,
    /// Contract end between two dates.
    ContractEnd,
    SkillArea,
}

impl Filter {
    /// The `data-f-*` name the rows carry.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Filter::Organisation => "org",
            Filter::Supplier => "supplier",
            Filter::ServiceArea => "area",
            Filter::System => "system",
            Filter::ContractEnd => "end",
            Filter::SkillArea => "skill",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Filter::Organisation => "Organisation",
            Filter::Supplier => "Supplier",
            Filter::ServiceArea => "Service area",
            Filter::System => "System or product",
            Filter::ContractEnd => "Contract end",
            Filter::SkillArea => "Skill area",
        }
    }
}

/// One cell: its text, and what it sorts and sums by.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub(crate) text: String,
    /// Sort key when it differs from the text (ISO dates, numbers).
    pub(crate) sort: Option<String>,
    /// The number a chart sums (pence for money).
    pub(crate) value: Option<i64>,
}

impl Cell {
    pub(crate) fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            ..Cell::default()
        }
    }

    pub(crate) fn int(n: i64) -> Cell {
        Cell {
            text: thousands(n),
            sort: Some(n.to_string()),
            value: Some(n),
        }
    }

    pub(crate) fn money(pence: Option<i64>) -> Cell {
        match pence {
            Some(p) => Cell {
                text: money(p),
                sort: Some(p.to_string()),
                value: Some(p),
            },
            None => Cell::text(""),
        }
    }

    pub(crate) fn date(d: Option<String>) -> Cell {
        match d {
            Some(d) => Cell {
                text: uk_date(&d),
                sort: Some(d),
                value: None,
            },
            None => Cell::text(""),
        }
    }

    pub(crate) fn pct(x: f64) -> Cell {
        Cell {
            text: format!("{x:.1}%"),
            sort: Some(format!("{x}")),
            value: None,
        }
    }
}

/// `2027-03-31` as `31 Mar 2027`; anything else as it is.
pub(crate) fn uk_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => match (m.parse::<usize>(), d.parse::<u32>()) {
            (Ok(m @ 1..=12), Ok(d)) => format!("{d} {} {y}", MONTHS[m - 1]),
            _ => iso.to_string(),
        },
        _ => iso.to_string(),
    }
}

/// One row and the values each filter matches it by (several for a row that spans
/// organisations or service areas).
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    pub(crate) cells: Vec<Cell>,
    pub(crate) filters: Vec<(Filter, Vec<String>)>,
}

impl Row {
    pub(crate) fn new(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            filters: Vec::new(),
        }
    }

    pub(crate) fn by(mut self, f: Filter, values: impl IntoIterator<Item = String>) -> Row {
        self.filters
            .push((f, values.into_iter().filter(|v| !v.is_empty()).collect()));
        self
    }

    fn values(&self, f: Filter) -> &[String] {
        self.filters
            .iter()
            .find(|(k, _)| *k == f)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

/// Rows a table lists at first (and adds per *Show more*); every row is in the page's data.
pub(crate) const PAGE: usize = 100;

/// A select filter with more values than this (London's 33 organisations and more) is filled by
/// the script when first used (its values are in the table's data, `o`); a short one is written
/// whole.
const INLINE_OPTIONS: usize = 30;

/// A column's kind, for sorting and alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Number,
    Date,
}

/// A sortable table; `id` ties it to its filters and charts.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) id: String,
    pub(crate) caption: String,
    pub(crate) columns: Vec<(String, Kind)>,
    pub(crate) rows: Vec<Row>,
}

impl Table {
    pub(crate) fn new(id: &str, caption: &str, columns: &[(&str, Kind)]) -> Table {
        Table {
            id: id.into(),
            caption: caption.into(),
            columns: columns.iter().map(|(c, k)| (c.to_string(), *k)).collect(),
            rows: Vec::new(),
        }
    }

    /// The table's HTML: one line per row, so a row's values stay together in the file.
    pub(crate) fn html(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "<div class=\"table-wrap\"><table class=\"data\" id=\"{}\">\n<caption>{}</caption>\n<thead><tr>",
            esc(&self.id),
            esc(&self.caption)
        );
        for (i, (h, k)) in self.columns.iter().enumerate() {
            let class = if *k == Kind::Number {
                " class=\"num\""
            } else {
                ""
            };
            let kind = match k {
                Kind::Text => "text",
                Kind::Number => "number",
                Kind::Date => "date",
            };
            let _ = write!(
                s,
                "<th scope=\"col\"{class} aria-sort=\"none\"><button type=\"button\" class=\"sort\" data-col=\"{i}\" data-kind=\"{kind}\">{}</button></th>",
                esc(h)
            );
        }
        s.push_str("</tr></thead>\n<tbody>\n");
        for r in self.rows.iter().take(PAGE) {
            // The row's filter values are in the data block (the script writes them on the
            // rows it lists): the first rows stay light.
            s.push_str("<tr>");
            for (i, c) in r.cells.iter().enumerate() {
                let num = self.columns.get(i).is_some_and(|(_, k)| *k == Kind::Number);
                s.push_str(if num { "<td class=\"num\"" } else { "<td" });
                if let Some(k) = &c.sort {
                    let _ = write!(s, " data-sort=\"{}\"", esc(k));
                }
                if let Some(v) = c.value {
                    let _ = write!(s, " data-v=\"{v}\"");
                }
                let _ = write!(s, ">{}</td>", esc(&c.text));
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody></table></div>\n");
        let id = esc(&self.id);
        let hidden = if self.rows.len() > PAGE {
            ""
        } else {
            " hidden"
        };
        let _ = writeln!(
            s,
            "<p class=\"body\"{hidden}><button type=\"button\" class=\"button button-secondary\" data-more=\"{id}\">Show {PAGE} more rows</button></p>"
        );
        // Every row as data, for the script to filter, sort, page and chart.
        let _ = write!(s, "<script type=\"application/json\" id=\"{id}-rows\">");
        // `<` only ever occurs inside JSON strings: escaped, nothing can close the script.
        s.push_str(&self.data_json().replace('<', "\\u003c"));
        s.push_str("</script>\n");
        s
    }

    /// Every row as the data `site.js` reads ([`TableData`]).
    fn data_json(&self) -> String {
        let mut texts = Texts::default();
        let mut c = Vec::with_capacity(self.columns.len());
        for i in 0..self.columns.len() {
            let cells = || self.rows.iter().map(move |r| r.cells.get(i));
            let t: Vec<usize> = cells()
                .map(|c| texts.index(c.map_or("", |c| c.text.as_str())))
                .collect();
            if cells()
                .flatten()
                .all(|c| c.sort.is_none() && c.value.is_none())
            {
                c.push(DataColumn::Texts(t));
                continue;
            }
            let k = cells()
                .map(|c| {
                    c.and_then(|c| c.sort.as_deref())
                        .map_or(-1, |k| texts.index(k) as i64)
                })
                .collect();
            let v = cells().map(|c| c.and_then(|c| c.value)).collect();
            c.push(DataColumn::Sorted { t, k, v });
        }
        let mut keys: Vec<Filter> = Vec::new();
        for r in &self.rows {
            for (f, _) in &r.filters {
                if !keys.contains(f) {
                    keys.push(*f);
                }
            }
        }
        let f = keys
            .iter()
            .map(|key| (key.key(), self.filter_data(*key, &mut texts)))
            .collect();
        let o = keys
            .iter()
            .filter(|k| !matches!(k, Filter::System | Filter::ContractEnd))
            .map(|k| (k.key(), self.select_values(*k)))
            .filter(|(_, values)| values.len() > INLINE_OPTIONS)
            .map(|(k, values)| (k, values.into_iter().map(|v| texts.index(v)).collect()))
            .collect();
        let data = TableData {
            n: self.rows.len(),
            s: texts.list,
            c,
            f,
            o,
        };
        serde_json::to_string(&data).unwrap_or_else(|_| "null".into())
    }

    /// One filter's values for every row: a row's one value that is also one of its cells'
    /// text is that cell's index; the same index on every row is written once.
    fn filter_data<'a>(&'a self, key: Filter, texts: &mut Texts<'a>) -> FilterData {
        let entries: Vec<FilterEntry> = self
            .rows
            .iter()
            .map(|r| match r.filters.iter().find(|(k, _)| *k == key) {
                None => FilterEntry::Absent,
                Some((_, v)) => {
                    let same = match v.as_slice() {
                        [one] => r.cells.iter().position(|c| c.text == *one),
                        _ => None,
                    };
                    match same {
                        Some(i) => FilterEntry::Cell(i),
                        None => FilterEntry::Values(v.iter().map(|x| texts.index(x)).collect()),
                    }
                }
            })
            .collect();
        match entries.first() {
            Some(FilterEntry::Cell(i))
                if entries
                    .iter()
                    .all(|e| matches!(e, FilterEntry::Cell(j) if j == i)) =>
            {
                FilterData::Same(*i)
            }
            _ => FilterData::Each(entries),
        }
    }

    /// A select filter's values: every value the rows carry, in order.
    fn select_values(&self, f: Filter) -> BTreeSet<&str> {
        self.rows
            .iter()
            .flat_map(|r| r.values(f))
            .map(String::as_str)
            .collect()
    }

    /// The filter form for this table: a select of every value the rows carry (or a text box,
    /// or two dates), and a live count of the rows shown.
    pub(crate) fn filters(&self, filters: &[Filter]) -> String {
        let id = esc(&self.id);
        let mut s = format!(
            "<form class=\"filters\" data-filters-for=\"{id}\" aria-label=\"Filter {}\">\n<h2 class=\"heading-s\">Filter</h2>\n<div class=\"filter-row\">\n",
            esc(&self.caption)
        );
        for f in filters {
            let key = f.key();
            match f {
                Filter::System => {
                    let _ = writeln!(
                        s,
                        "<div class=\"form-group\"><label class=\"label\" for=\"{id}-{key}\">{}</label><input class=\"input\" type=\"search\" id=\"{id}-{key}\" data-filter=\"{key}\" data-match=\"contains\" autocomplete=\"off\"></div>",
                        f.label()
                    );
                }
                Filter::ContractEnd => {
                    let _ = write!(
                        s,
                        "<div class=\"form-group\"><label class=\"label\" for=\"{id}-end-from\">Contract ends on or after</label><input class=\"input\" type=\"date\" id=\"{id}-end-from\" data-filter=\"end\" data-match=\"from\"></div>\n<div class=\"form-group\"><label class=\"label\" for=\"{id}-end-to\">Contract ends on or before</label><input class=\"input\" type=\"date\" id=\"{id}-end-to\" data-filter=\"end\" data-match=\"to\"></div>\n"
                    );
                }
                _ => {
                    let values = self.select_values(*f);
                    // A long list is the script's to fill when the select is first used: a
                    // select of thousands of options costs the browser most of a page's load.
                    let (class, lazy) = if values.len() > INLINE_OPTIONS {
                        (" select-long", " data-lazy")
                    } else {
                        ("", "")
                    };
                    let _ = write!(
                        s,
                        "<div class=\"form-group\"><label class=\"label\" for=\"{id}-{key}\">{}</label><select class=\"select{class}\" id=\"{id}-{key}\" data-filter=\"{key}\" data-match=\"equals\"{lazy}><option value=\"\">All</option>",
                        f.label()
                    );
                    if lazy.is_empty() {
                        for v in values {
                            let v = esc(v);
                            let _ = write!(s, "<option value=\"{v}\">{v}</option>");
                        }
                    }
                    s.push_str("</select></div>\n");
                }
            }
        }
        let n = self.rows.len();
        let _ = write!(
            s,
            "</div>\n<button type=\"reset\" class=\"button button-secondary\">Clear filters</button>\n<p class=\"body\" role=\"status\" data-count-for=\"{id}\">{}</p>\n</form>\n",
            count_text(n, n)
        );
        s
    }
}

/// A table's rows as the data block beside it, in columns of indices into one list of the
/// table's texts (most texts repeat from row to row: an organisation, a service area, a
/// supplier), which `site.js` reads: `n` rows; `s` the distinct texts; `c` per column, each
/// row's text (an index into `s`), or `{t, k, v}` — text, sort key (index, or -1 when the text
/// is the key) and the number a chart sums (or null); `f` per filter key, each row's values
/// ([`FilterData`]); `o` the options of the long select filters.
#[derive(Debug, serde::Serialize)]
struct TableData<'a> {
    n: usize,
    s: Vec<&'a str>,
    c: Vec<DataColumn>,
    f: std::collections::BTreeMap<&'static str, FilterData>,
    /// The values of each select filter the script fills when first used, in order.
    o: std::collections::BTreeMap<&'static str, Vec<usize>>,
}

#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
enum DataColumn {
    Texts(Vec<usize>),
    Sorted {
        t: Vec<usize>,
        k: Vec<i64>,
        v: Vec<Option<i64>>,
    },
}

/// A filter's values: the same cell's text on every row, or per row a cell's index, a list of
/// texts (indices into `s`), or null when the row has no value for it.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
enum FilterData {
    Same(usize),
    Each(Vec<FilterEntry>),
}

#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
enum FilterEntry {
    Cell(usize),
    Values(Vec<usize>),
    Absent,
}

/// Distinct texts in the order first met.
#[derive(Debug, Default)]
struct Texts<'a> {
    list: Vec<&'a str>,
    at: std::collections::HashMap<&'a str, usize>,
}

impl<'a> Texts<'a> {
    fn index(&mut self, s: &'a str) -> usize {
        *self.at.entry(s).or_insert_with(|| {
            self.list.push(s);
            self.list.len() - 1
        })
    }
}

/// "Showing 120 of 400 rows (the first 100 listed)", as `site.js` writes it too.
fn count_text(shown: usize, all: usize) -> String {
    let listed = if shown > PAGE {
        format!(" (the first {PAGE} listed)")
    } else {
        String::new()
    };
    format!(
        "Showing {} of {} rows{listed}",
        thousands(shown as i64),
        thousands(all as i64)
    )
}

/// What a chart adds up per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Measure {
    /// Rows.
    Count,
    /// The `data-v` values of a column.
    Sum(usize),
}

/// A bar chart of a table's rows grouped by one column, largest first (or in the order of
/// `order_by_label`), at most `limit` bars; as SVG with the same figures in a table beside it.
#[derive(Debug, Clone)]
pub(crate) struct Chart {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) table: String,
    pub(crate) group: usize,
    pub(crate) measure: Measure,
    pub(crate) money: bool,
    pub(crate) limit: usize,
    /// Keep groups in label order (quarters) rather than largest first.
    pub(crate) by_label: bool,
}

/// Bars' geometry, shared with `site.js` through data attributes.
const BAR_H: u32 = 22;
const GAP: u32 = 6;
const LABEL_W: u32 = 260;
const BAR_W: u32 = 360;

impl Chart {
    /// Groups and totals of `rows`, as the script works them out.
    fn groups(&self, rows: &[Row]) -> Vec<(String, i64)> {
        let mut totals: Vec<(String, i64)> = Vec::new();
        let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for r in rows {
            let label = r
                .cells
                .get(self.group)
                .map(|c| c.text.clone())
                .unwrap_or_default();
            let label = if label.is_empty() {
                "Not given".to_string()
            } else {
                label
            };
            let add = match self.measure {
                Measure::Count => 1,
                Measure::Sum(c) => r.cells.get(c).and_then(|c| c.value).unwrap_or(0),
            };
            match at.get(&label) {
                Some(i) => totals[*i].1 += add,
                None => {
                    at.insert(label.clone(), totals.len());
                    totals.push((label, add));
                }
            }
        }
        if self.by_label {
            totals.sort_by(|a, b| a.0.cmp(&b.0));
        } else {
            totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        totals.truncate(self.limit);
        totals
    }

    fn fmt(&self, v: i64) -> String {
        if self.money { money(v) } else { thousands(v) }
    }

    pub(crate) fn html(&self, table: &Table) -> String {
        let groups = self.groups(&table.rows);
        let max = groups.iter().map(|g| g.1).max().unwrap_or(0).max(1);
        let height = (groups.len() as u32).max(1) * (BAR_H + GAP);
        let width = LABEL_W + BAR_W + 120;
        let measure = match self.measure {
            Measure::Count => "count".to_string(),
            Measure::Sum(c) => c.to_string(),
        };
        let id = esc(&self.id);
        let mut s = format!(
            "<figure class=\"chart\" id=\"{id}\" data-table=\"{}\" data-group=\"{}\" data-measure=\"{measure}\" data-money=\"{}\" data-limit=\"{}\" data-order=\"{}\">\n<figcaption class=\"heading-s\" id=\"{id}-title\">{}</figcaption>\n<div class=\"chart-pair\">\n",
            esc(&self.table),
            self.group,
            self.money,
            self.limit,
            if self.by_label { "label" } else { "value" },
            esc(&self.title)
        );
        let _ = write!(
            s,
            "<svg class=\"bars\" role=\"img\" aria-labelledby=\"{id}-title\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"
        );
        for (i, (label, v)) in groups.iter().enumerate() {
            let y = i as u32 * (BAR_H + GAP);
            let w = ((*v).max(0) as f64 / max as f64 * BAR_W as f64).round() as u32;
            let _ = write!(
                s,
                "<text class=\"bar-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"bar\" x=\"{LABEL_W}\" y=\"{y}\" width=\"{}\" height=\"{BAR_H}\"></rect><text class=\"bar-value\" x=\"{}\" y=\"{}\">{}</text>",
                LABEL_W - 8,
                y + BAR_H - 6,
                esc(&short(label, 32)),
                w.max(1),
                LABEL_W + w + 6,
                y + BAR_H - 6,
                esc(&self.fmt(*v))
            );
        }
        s.push_str("</svg>\n");
        let _ = write!(
            s,
            "<table class=\"data chart-table\"><caption class=\"visually-hidden\">{}: figures</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr></thead><tbody>",
            esc(&self.title),
            esc(table.columns.get(self.group).map_or("", |c| c.0.as_str())),
            match self.measure {
                Measure::Count => "Rows".to_string(),
                Measure::Sum(c) => esc(table.columns.get(c).map_or("", |c| c.0.as_str())),
            }
        );
        for (label, v) in &groups {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(label),
                esc(&self.fmt(*v))
            );
        }
        s.push_str("</tbody></table>\n</div>\n</figure>\n");
        s
    }
}

/// At most `n` characters, with an ellipsis when cut.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// A summary list of figures (`<dl>`).
pub(crate) fn figures(items: &[(String, String)]) -> String {
    let mut s = String::from("<dl class=\"summary-list\">\n");
    for (k, v) in items {
        let _ = writeln!(
            s,
            "<div class=\"summary-row\"><dt>{}</dt><dd>{}</dd></div>",
            esc(k),
            esc(v)
        );
    }
    s.push_str("</dl>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_in_text_and_attributes() {
        let mut t = Table::new("t", "Systems", &[("Name", Kind::Text)]);
        let evil = "<script>alert('x')</script>\"&";
        t.rows
            .push(Row::new(vec![Cell::text(evil)]).by(Filter::Supplier, [evil.to_string()]));
        let html = t.html() + &t.filters(&[Filter::Supplier]);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"));
    }

    /// The data block read as `site.js` reads it gives back every row's cells and filter
    /// values.
    #[test]
    fn the_data_block_reads_back_as_the_rows() {
        let mut t = Table::new(
            "t",
            "T",
            &[
                ("Organisation", Kind::Text),
                ("Value", Kind::Number),
                ("Ends", Kind::Date),
            ],
        );
        let rows = [
            (
                "Camden",
                Some(5),
                Some("2027-03-31"),
                vec!["Agilisys", "Civica"],
            ),
            ("Barnet", None, None, vec!["Barnet"]),
            ("Camden", Some(7), Some("2026-01-01"), vec![]),
            ("Ealing", Some(0), None, vec!["Idox"]),
        ];
        for (i, (org, v, end, suppliers)) in rows.iter().enumerate() {
            let mut r = Row::new(vec![
                Cell::text(*org),
                Cell::money(*v),
                Cell::date(end.map(str::to_string)),
            ])
            .by(Filter::Organisation, [org.to_string()]);
            if i != 2 {
                r = r.by(Filter::Supplier, suppliers.iter().map(|s| s.to_string()));
            }
            t.rows.push(r);
        }
        let d: serde_json::Value = serde_json::from_str(&t.data_json()).unwrap();
        assert_eq!(d["n"], 4);
        let s = |x: &serde_json::Value| d["s"][x.as_u64().unwrap() as usize].as_str().unwrap();
        // The organisation is the first cell on every row: written once.
        assert_eq!(d["f"]["org"], 0);
        for (i, r) in t.rows.iter().enumerate() {
            for (c, cell) in r.cells.iter().enumerate() {
                let col = &d["c"][c];
                let (text, sort, value) = match col.as_array() {
                    Some(texts) => (s(&texts[i]), None, None),
                    None => {
                        let k = col["k"][i].as_i64().unwrap();
                        let sort = (k >= 0).then(|| s(&col["k"][i]));
                        (s(&col["t"][i]), sort, col["v"][i].as_i64())
                    }
                };
                assert_eq!(text, cell.text, "row {i} cell {c}");
                assert_eq!(sort, cell.sort.as_deref(), "row {i} cell {c}");
                assert_eq!(value, cell.value, "row {i} cell {c}");
            }
            let e = &d["f"]["supplier"][i];
            let got: Option<Vec<&str>> = match e {
                serde_json::Value::Null => None,
                serde_json::Value::Number(c) => {
                    let c = c.as_u64().unwrap() as usize;
                    Some(vec![s(&d["c"][c][i])])
                }
                list => Some(list.as_array().unwrap().iter().map(s).collect()),
            };
            let want = r
                .filters
                .iter()
                .find(|(f, _)| *f == Filter::Supplier)
                .map(|(_, v)| v.iter().map(String::as_str).collect::<Vec<_>>());
            assert_eq!(got, want, "row {i}");
        }
        // Barnet's supplier is its organisation cell: an index, not a text.
        assert_eq!(d["f"]["supplier"][1], 0);
    }

    #[test]
    fn numbers_dates_and_money_read_as_people_write_them() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(-1000), "-1,000");
        assert_eq!(money(12_500_000), "£125,000");
        assert_eq!(uk_date("2027-03-31"), "31 Mar 2027");
    }

    #[test]
    fn a_chart_groups_rows_largest_first_and_limits_its_bars() {
        let mut t = Table::new("t", "T", &[("Area", Kind::Text), ("Value", Kind::Number)]);
        for (a, v) in [("B", 5), ("A", 1), ("B", 2), ("C", 3), ("", 9)] {
            t.rows
                .push(Row::new(vec![Cell::text(a), Cell::money(Some(v))]));
        }
        let c = Chart {
            id: "c".into(),
            title: "By area".into(),
            table: "t".into(),
            group: 0,
            measure: Measure::Sum(1),
            money: false,
            limit: 3,
            by_label: false,
        };
        assert_eq!(
            c.groups(&t.rows),
            [("Not given".into(), 9), ("B".into(), 7), ("C".into(), 3)]
        );
        let counted = Chart {
            measure: Measure::Count,
            by_label: true,
            limit: 10,
            ..c
        };
        assert_eq!(counted.groups(&t.rows)[0], ("A".into(), 1));
    }
}
