//! Reading a CSV or TSV register into the same grid of cells as a workbook, so that mapping,
//! answers, the dry run and the xlsx error report work on it unchanged. Owns recognising text
//! by content (whatever the file is called), its encoding (a UTF-8, UTF-16 or no byte-order
//! mark; UTF-8 if the bytes decode cleanly as UTF-8, else Windows-1252, which is what Excel
//! writes for "CSV" on a UK machine), sniffing the delimiter (comma, semicolon, tab or pipe)
//! and reading quoted fields with line breaks (the `csv` crate). Every cell is text: the
//! field readers in `values` parse money, dates and numbers from text as they do for typed
//! cells, and a Companies House number keeps its leading zero. Nothing here knows about
//! records.

use super::workbook::{Cell, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, ReadError, Sheet, Workbook};
use std::borrow::Cow;

/// Text files larger than this are refused before they are decoded.
pub(crate) const MAX_TEXT_BYTES: usize = 256 << 20;

/// How much of the text the delimiter and the text check look at.
const SAMPLE_BYTES: usize = 64 * 1024;

/// Records of the sample the delimiter sniff counts.
const SAMPLE_RECORDS: usize = 200;

/// The delimiters a register may use, in the order a tie is decided.
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// The encoding a text file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16,
    Windows1252,
}

/// Decodes a file's bytes: a byte-order mark decides; else UTF-8 if the bytes are valid
/// UTF-8; else Windows-1252 (every byte decodes, so this never fails).
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, Encoding) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        if enc == encoding_rs::UTF_8 {
            return match std::str::from_utf8(body) {
                Ok(s) => (Cow::Borrowed(s), Encoding::Utf8),
                // A BOM followed by bytes that are not UTF-8: read them as the rest would be.
                Err(_) => (
                    encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(body)
                        .0,
                    Encoding::Windows1252,
                ),
            };
        }
        let (text, _) = enc.decode_without_bom_handling(body);
        return (text, Encoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), Encoding::Utf8),
        Err(_) => (
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0,
            Encoding::Windows1252,
        ),
    }
}

/// The first `n` bytes of `s`, cut back to a character boundary.
fn head(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Whether decoded text is text a person wrote: no NUL, and control characters (other than
/// tab, line breaks and form feed) at most one in a hundred.
fn is_text(sample: &str) -> bool {
    let mut controls = 0usize;
    let mut chars = 0usize;
    for c in sample.chars() {
        chars += 1;
        if c == '\0' {
            return false;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            controls += 1;
        }
    }
    chars > 0 && controls * 100 <= chars
}

fn reader(delimiter: u8, text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// How well `delimiter` splits the sample: how many records have the most common number of
/// fields (counting only records of two fields or more), and that number.
fn delimiter_score(delimiter: u8, sample: &str, cut: bool) -> (usize, usize) {
    let mut counts: Vec<usize> = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut rdr = reader(delimiter, sample);
    while counts.len() < SAMPLE_RECORDS {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {
                let used = record
                    .iter()
                    .rposition(|f| !f.iter().all(u8::is_ascii_whitespace))
                    .map_or(0, |i| i + 1);
                counts.push(used);
            }
            _ => break,
        }
    }
    // The sample's last record may be cut short.
    if cut {
        counts.pop();
    }
    let mut tally: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for n in counts.into_iter().filter(|n| *n >= 2) {
        *tally.entry(n).or_default() += 1;
    }
    tally
        .into_iter()
        .map(|(n, f)| (f, n))
        .max()
        .unwrap_or((0, 0))
}

/// The delimiter that splits the sample most consistently, if any splits it at all.
pub(crate) fn sniff(sample: &str, cut: bool) -> Option<u8> {
    let mut best: Option<((usize, usize), u8)> = None;
    for d in DELIMITERS {
        let score = delimiter_score(d, sample, cut);
        if score.0 > 0 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, d));
        }
    }
    best.map(|(_, d)| d)
}

/// Whether a file name says the file is delimited text.
fn named_as_text(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".csv", ".tsv", ".txt", ".tab"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The sheet a text file becomes is named after the file (without its folder and extension).
fn sheet_name(name: &str) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match file.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => file,
    };
    let stem = stem.trim();
    if stem.is_empty() {
        "Sheet1".to_string()
    } else {
        stem.to_string()
    }
}

/// Reads `bytes` as a CSV / TSV register named `name` (a file name: it names the one sheet and,
/// for a one-column file, says whether it is meant as text). `Err(NotASpreadsheet)` if the
/// bytes are not delimited text.
pub(crate) fn read(bytes: &[u8], name: &str) -> Result<Workbook, ReadError> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(ReadError::TextTooBig {
            mib: (bytes.len() >> 20) as u64,
        });
    }
    let (text, _encoding) = decode(bytes);
    let sample = head(&text, SAMPLE_BYTES);
    if !is_text(sample) {
        return Err(ReadError::NotASpreadsheet);
    }
    let cut = sample.len() < text.len();
    let delimiter = match sniff(sample, cut) {
        Some(d) => d,
        // One column: a register only if it is called one.
        None if named_as_text(name) => b',',
        None => return Err(ReadError::NotASpreadsheet),
    };
    let sheet = sheet_name(name);
    let rows = read_rows(&text, delimiter, &sheet)?;
    Ok(Workbook {
        format: if delimiter == b'\t' { "tsv" } else { "csv" },
        sheets: vec![Sheet {
            name: sheet,
            hidden: false,
            rows,
        }],
    })
}

/// The empty lines the reader skipped before the record it read from `start` to `end`: the
/// line breaks at the start of that stretch (a record never starts with one), less the `\n`
/// of a `\r\n` that ended the previous record (the reader stops after its `\r`).
fn empty_lines_before(bytes: &[u8], start: usize, end: usize) -> usize {
    let mut seg = bytes.get(start..end.min(bytes.len())).unwrap_or_default();
    if start > 0 && bytes.get(start - 1) == Some(&b'\r') && seg.first() == Some(&b'\n') {
        seg = &seg[1..];
    }
    let mut n = 0;
    loop {
        seg = match seg {
            [b'\r', b'\n', rest @ ..] | [b'\n' | b'\r', rest @ ..] => rest,
            _ => return n,
        };
        n += 1;
    }
}

fn read_rows(text: &str, delimiter: u8, sheet: &str) -> Result<Vec<Vec<Cell>>, ReadError> {
    let mut rdr = reader(delimiter, text);
    let mut record = csv::ByteRecord::new();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut budget = MAX_CELLS;
    loop {
        // The reader skips empty lines; each still counts as a row, so that row numbers are
        // the ones a spreadsheet shows for the file.
        let start = rdr.position().byte() as usize;
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            // Reading from memory with `flexible` cannot fail; if it ever did, the file is
            // damaged rather than silently short.
            Err(e) => {
                return Err(ReadError::Damaged {
                    format: "csv",
                    detail: e.to_string().chars().take(200).collect(),
                });
            }
        }
        let end = rdr.position().byte() as usize;
        let skipped = empty_lines_before(text.as_bytes(), start, end);
        for _ in 0..skipped.min(MAX_ROWS as usize) {
            rows.push(Vec::new());
        }
        if rows.len() >= MAX_ROWS as usize {
            return Err(ReadError::TooManyRows {
                sheet: sheet.to_string(),
            });
        }
        // Trailing empty fields are not kept, as a workbook keeps no cells past its last value.
        let used = record
            .iter()
            .rposition(|f| !f.is_empty())
            .map_or(0, |i| i + 1);
        if used > MAX_COLUMNS as usize {
            return Err(ReadError::TooManyColumns {
                sheet: sheet.to_string(),
            });
        }
        if used as u64 > budget {
            return Err(ReadError::TooManyCells);
        }
        budget -= used as u64;
        let mut row = Vec::with_capacity(used);
        for f in record.iter().take(used) {
            row.push(if f.is_empty() {
                Cell::Empty
            } else {
                // The text was decoded to UTF-8 and delimiters are ASCII: every field is UTF-8.
                let t = String::from_utf8_lossy(f).into_owned();
                // A line break inside a cell is a `\n`, as in a workbook, whatever the file's
                // line ends.
                Cell::Text(if t.contains('\r') {
                    t.replace("\r\n", "\n").replace('\r', "\n")
                } else {
                    t
                })
            });
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(wb: &Workbook) -> Vec<Vec<String>> {
        wb.sheets[0]
            .rows
            .iter()
            .map(|r| r.iter().map(Cell::display).collect())
            .collect()
    }

    #[test]
    fn utf8_with_and_without_a_bom_and_windows_1252_decode() {
        let plain = "Supplier,Value\nCaf\u{e9} Ltd,\u{a3}1\n";
        for bytes in [
            plain.as_bytes().to_vec(),
            [b"\xEF\xBB\xBF".as_slice(), plain.as_bytes()].concat(),
            // Windows-1252: é is 0xE9 and £ is 0xA3.
            b"Supplier,Value\nCaf\xE9 Ltd,\xA31\n".to_vec(),
        ] {
            let wb = read(&bytes, "register.csv").unwrap();
            assert_eq!(wb.format, "csv");
            assert_eq!(
                texts(&wb),
                [vec!["Supplier", "Value"], vec!["Caf\u{e9} Ltd", "\u{a3}1"]]
            );
        }
        assert_eq!(decode(b"\x80").1, Encoding::Windows1252);
        assert_eq!(decode("\u{20ac}".as_bytes()).1, Encoding::Utf8);
        // Excel's "Unicode text": UTF-16 little-endian with a BOM, tab-separated.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "Name\tUsers\nPayroll\t12\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        let wb = read(&utf16, "apps.txt").unwrap();
        assert_eq!(wb.format, "tsv");
        assert_eq!(texts(&wb), [vec!["Name", "Users"], vec!["Payroll", "12"]]);
    }

    #[test]
    fn the_delimiter_is_sniffed() {
        let cases: [(&str, u8); 5] = [
            ("a,b,c\n1,2,3\n4,5,6\n", b','),
            ("a;b;c\n1;\"2,5\";3\n4;5;6\n", b';'),
            // Money with thousands commas in a tab-separated file.
            ("a\tb\tc\n\u{a3}1,234.50\t2\t3\n\u{a3}5,000\t5\t6\n", b'\t'),
            ("a|b|c\n1|2|3\n", b'|'),
            // A title row above the header does not decide.
            (
                "Contracts register, 2026\n\nRef;Title;Value\nC1;X;1\nC2;Y;2\n",
                b';',
            ),
        ];
        for (text, want) in cases {
            assert_eq!(sniff(text, false), Some(want), "{text:?}");
        }
        assert_eq!(sniff("just words\nmore words\n", false), None);
    }

    #[test]
    fn quoted_fields_keep_line_breaks_delimiters_and_quotes() {
        let text = "Title,Notes,Value\r\n\"Payroll, HR\",\"line one\r\nline two\",\"\u{a3}1,234.50\"\r\n\"Say \"\"hi\"\"\",,\r\n";
        let wb = read(text.as_bytes(), "x.csv").unwrap();
        assert_eq!(
            texts(&wb),
            [
                vec!["Title", "Notes", "Value"],
                vec!["Payroll, HR", "line one\nline two", "\u{a3}1,234.50"],
                vec!["Say \"hi\""],
            ]
        );
    }

    #[test]
    fn blank_rows_stay_rows_so_row_numbers_match_the_file() {
        let text = "\nRegister\n\nName,Users\nA,1\n,,\nB,\"2\n3\"\n\n\nC,3";
        for text in [text.to_string(), text.replace('\n', "\r\n")] {
            let wb = read(text.as_bytes(), "r.csv").unwrap();
            let rows = &wb.sheets[0].rows;
            let firsts: Vec<String> = rows
                .iter()
                .map(|r| r.first().map(Cell::display).unwrap_or_default())
                .collect();
            assert_eq!(
                firsts,
                ["", "Register", "", "Name", "A", "", "B", "", "", "C"],
                "{text:?}"
            );
            assert_eq!(wb.sheets[0].name, "r");
        }
    }

    #[test]
    fn what_is_not_text_or_not_delimited_is_refused() {
        assert!(matches!(
            read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "logo.csv"),
            Err(ReadError::NotASpreadsheet)
        ));
        let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(
            read(&noise, "noise.xlsx"),
            Err(ReadError::NotASpreadsheet)
        ));
        // One column of words: a register only when the file says it is one.
        assert!(matches!(
            read(b"hello\nworld\n", "notes.docx"),
            Err(ReadError::NotASpreadsheet)
        ));
        let one = read(b"Name\nPayroll\n", "systems.csv").unwrap();
        assert_eq!(texts(&one), [vec!["Name"], vec!["Payroll"]]);
    }

    #[test]
    fn limits_are_those_of_a_workbook() {
        let mut many = String::from("a,b\n");
        for _ in 0..MAX_ROWS {
            many.push_str("1,2\n");
        }
        assert!(matches!(
            read(many.as_bytes(), "big.csv"),
            Err(ReadError::TooManyRows { .. })
        ));
        let wide = format!("{}\n", vec!["x"; MAX_COLUMNS as usize + 1].join(","));
        assert!(matches!(
            read(wide.as_bytes(), "wide.csv"),
            Err(ReadError::TooManyColumns { .. })
        ));
    }

    #[test]
    fn sheets_are_named_after_the_file() {
        assert_eq!(sheet_name("/tmp/Contracts 2026.csv"), "Contracts 2026");
        assert_eq!(sheet_name("C:\\data\\apps.tsv"), "apps");
        assert_eq!(sheet_name(".csv"), ".csv");
        assert_eq!(sheet_name(""), "Sheet1");
    }
}
