//! Rows for `COPY … FROM STDIN` in PostgreSQL's text format, made in memory before the
//! transaction starts: a table's column list and its rows as bytes (tab between fields, `\N`
//! for null, backslash escapes), so that the publication's hash is over exactly the bytes sent.

/// One table's rows, ready to copy.
#[derive(Debug, Clone)]
pub(crate) struct CopyTable {
    pub(crate) table: String,
    pub(crate) columns: Vec<String>,
    pub(crate) data: Vec<u8>,
    pub(crate) rows: u64,
    /// Fields written on the current row.
    fields: usize,
}

impl CopyTable {
    pub(crate) fn new(table: impl Into<String>, columns: Vec<String>) -> CopyTable {
        CopyTable {
            table: table.into(),
            columns,
            data: Vec::new(),
            rows: 0,
            fields: 0,
        }
    }

    fn sep(&mut self) {
        if self.fields > 0 {
            self.data.push(b'\t');
        }
        self.fields += 1;
    }

    /// A null field.
    pub(crate) fn null(&mut self) {
        self.sep();
        self.data.extend_from_slice(b"\\N");
    }

    /// A text field, escaped (a NUL character, which PostgreSQL's text cannot hold, is
    /// dropped).
    pub(crate) fn text(&mut self, s: &str) {
        self.sep();
        for b in s.bytes() {
            match b {
                b'\\' => self.data.extend_from_slice(b"\\\\"),
                b'\t' => self.data.extend_from_slice(b"\\t"),
                b'\n' => self.data.extend_from_slice(b"\\n"),
                b'\r' => self.data.extend_from_slice(b"\\r"),
                0 => {}
                _ => self.data.push(b),
            }
        }
    }

    /// A field with no character needing an escape (numbers, dates, ids, `t`/`f`).
    pub(crate) fn plain(&mut self, s: impl std::fmt::Display) {
        self.sep();
        use std::io::Write;
        // Writing to a Vec cannot fail.
        let _ = write!(self.data, "{s}");
    }

    pub(crate) fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.null(),
        }
    }

    pub(crate) fn opt_plain<T: std::fmt::Display>(&mut self, v: Option<T>) {
        match v {
            Some(v) => self.plain(v),
            None => self.null(),
        }
    }

    pub(crate) fn bool(&mut self, b: bool) {
        self.plain(if b { "t" } else { "f" });
    }

    /// Ends the row.
    pub(crate) fn end(&mut self) {
        debug_assert_eq!(self.fields, self.columns.len(), "{}", self.table);
        self.data.push(b'\n');
        self.fields = 0;
        self.rows += 1;
    }

    /// `COPY citytools.t ("a", "b") FROM STDIN`.
    pub(crate) fn statement(&self, schema: &str, table: &str) -> String {
        let cols: Vec<String> = self.columns.iter().map(|c| format!("\"{c}\"")).collect();
        format!("COPY {schema}.{table} ({}) FROM STDIN", cols.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_escaped_and_rows_counted() {
        let mut t = CopyTable::new("x", vec!["a".into(), "b".into(), "c".into()]);
        t.text("tab\there\\ line\nend\r\0");
        t.null();
        t.plain(42);
        t.end();
        assert_eq!(t.data, b"tab\\there\\\\ line\\nend\\r\t\\N\t42\n");
        assert_eq!(t.rows, 1);
        assert_eq!(
            t.statement("citytools", "x"),
            "COPY citytools.x (\"a\", \"b\", \"c\") FROM STDIN"
        );
    }
}
