//! CSV files (RFC 4180): UTF-8 with a byte-order mark (so Excel reads accents correctly),
//! CRLF line ends, a header row of labels, text fields always quoted and numbers bare. Text that
//! a spreadsheet would run as a formula — starting with `=`, `+`, `-`, `@`, tab, carriage return
//! or NUL — gets a leading `'`, as OWASP's CSV-injection guidance and ASVS 1.2.10 ask. Money is
//! in pounds with two decimals, dates ISO `YYYY-MM-DD`, yes/no as `Yes` / `No`.

use super::table::{Rows, Value};
use std::io::Write;

/// UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Characters that make a spreadsheet read a cell as a formula when they come first.
const FORMULA_TRIGGERS: &[char] = &['=', '+', '-', '@', '\t', '\r', '\0'];

/// A text cell made safe to open in a spreadsheet.
pub(crate) fn defuse(text: &str) -> String {
    if text.starts_with(FORMULA_TRIGGERS) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Money in pence as pounds with two decimals, exactly (no floating point).
pub(crate) fn pounds(pence: i64) -> String {
    format!("{}.{:02}", pence / 100, pence % 100)
}

fn field(v: &Value) -> String {
    match v {
        Value::Empty => String::new(),
        Value::Text(t) => defuse(t),
        Value::Int(i) => i.to_string(),
        Value::Number(x) => format!("{x:.1}"),
        Value::Money(p) => pounds(p.0),
        Value::Date(d) => d.to_string(),
        Value::Bool(b) => if *b { "Yes" } else { "No" }.to_string(),
    }
}

/// Writes `table` as CSV to `out`, a row at a time; returns the number of data rows.
pub(crate) fn write_csv(table: Rows<'_>, out: impl Write) -> Result<usize, csv::Error> {
    let mut out = out;
    out.write_all(BOM)?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(out);
    w.write_record(table.columns.iter().map(|c| defuse(&c.header)))?;
    let mut n = 0;
    for row in table.rows {
        w.write_record(row.iter().map(field))?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::values::Pence;
    use crate::export::table::Table;

    #[test]
    fn formulas_are_defused_and_fields_quoted() {
        let mut t = Table::new("Contracts", &["Title", "Value (£)", "Count"]);
        t.rows.push(vec![
            Value::Text("=HYPERLINK(\"http://x\",\"y\")".into()),
            Value::Money(Pence(125_000_005)),
            Value::Int(3),
        ]);
        t.rows.push(vec![
            Value::Text("@SUM(1+1)".into()),
            Value::Empty,
            Value::Text("-2+3".into()),
        ]);
        t.rows.push(vec![
            Value::Text("\tcmd, \"quoted\"\r\nnext".into()),
            Value::Bool(true),
            Value::Text("+44 20".into()),
        ]);
        let mut bytes = Vec::new();
        assert_eq!(write_csv(t.into_rows(), &mut bytes).unwrap(), 3);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let expected = "\u{feff}\"Title\",\"Value (£)\",\"Count\"\r\n\
             \"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1250000.05,3\r\n\
             \"'@SUM(1+1)\",\"\",\"'-2+3\"\r\n\
             \"'\tcmd, \"\"quoted\"\"\r\nnext\",\"Yes\",\"'+44 20\"\r\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn pounds_are_exact() {
        assert_eq!(pounds(5), "0.05");
        assert_eq!(pounds(1_000_000_000_000), "10000000000.00");
    }
}
