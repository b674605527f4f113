//! The ZIP container: written with Stored entries and fixed names and timestamps; read with
//! every check the format demands (offset, names, order, method, encryption, sizes, overlap)
//! and never extracted.

use super::BundleError;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The largest file accepted as a bundle or cycle pack.
pub(crate) const MAX_FILE: usize = 64 * 1024 * 1024;

/// Writes `entries` (name, bytes) as a ZIP of Stored entries.
pub(crate) fn write(entries: &[(&str, &[u8])]) -> Result<Vec<u8>, BundleError> {
    let err = |e: &dyn std::fmt::Display| BundleError::Container(e.to_string());
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in entries {
        zip.start_file(*name, options).map_err(|e| err(&e))?;
        zip.write_all(bytes).map_err(|e| err(&e))?;
    }
    Ok(zip.finish().map_err(|e| err(&e))?.into_inner())
}

/// What a file looks like when it is not a ZIP, for a helpful message.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        Some("an old Excel or Office file")
    } else if bytes.starts_with(b"%PDF") {
        Some("a PDF")
    } else if bytes.starts_with(b"SQLite format 3") {
        Some("a database file (perhaps a City Tools store)")
    } else if bytes.starts_with(b"age-encryption.org/") {
        Some("a bare age-encrypted file")
    } else if !bytes.starts_with(b"PK") {
        Some("not a ZIP file")
    } else {
        None
    }
}

/// The entry count the end-of-central-directory record declares (duplicates included).
fn declared_entries(bytes: &[u8]) -> Option<usize> {
    let start = bytes.len().saturating_sub(22 + 65_535);
    let at = bytes[start..]
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")?
        + start;
    let field = bytes.get(at + 10..at + 12)?;
    Some(u16::from_le_bytes([field[0], field[1]]) as usize)
}

/// Reads exactly the entries named in `expected` (name, size limit), in that order, and
/// returns their bytes.
pub(crate) fn read(bytes: &[u8], expected: &[(&str, usize)]) -> Result<Vec<Vec<u8>>, BundleError> {
    let bad = |m: String| BundleError::Container(m);
    if bytes.is_empty() {
        return Err(BundleError::Empty);
    }
    if bytes.len() > MAX_FILE {
        return Err(BundleError::TooLarge(bytes.len()));
    }
    if let Some(what) = sniff(bytes) {
        return Err(BundleError::NotABundle(what));
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(format!("{e}")))?;
    if zip.offset() != 0 {
        return Err(bad("there is data before the ZIP archive".into()));
    }
    if let Some(declared) = declared_entries(bytes)
        && declared != zip.len()
    {
        return Err(bad("two entries have the same name".into()));
    }
    if zip.len() != expected.len() {
        let names: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
        return Err(bad(format!(
            "it has {} entries; a bundle has exactly {} ({})",
            zip.len(),
            expected.len(),
            names.join(", ")
        )));
    }
    if zip
        .has_overlapping_files()
        .map_err(|e| bad(format!("{e}")))?
    {
        return Err(bad("entries overlap each other".into()));
    }
    let mut out = Vec::with_capacity(expected.len());
    for (i, (name, limit)) in expected.iter().enumerate() {
        let mut entry = zip
            .by_index_raw(i)
            .map_err(|e| bad(format!("entry {i}: {e}")))?;
        let actual = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if actual != *name {
            return Err(bad(format!(
                "entry {} is '{}' where '{name}' is expected",
                i + 1,
                actual.escape_default()
            )));
        }
        if entry.is_dir() || entry.is_symlink() {
            return Err(bad(format!("'{name}' is a directory or link")));
        }
        if entry.encrypted() {
            return Err(bad(format!("'{name}' is ZIP-encrypted")));
        }
        if entry.compression() != CompressionMethod::Stored {
            return Err(bad(format!(
                "'{name}' is compressed; bundle entries are stored uncompressed"
            )));
        }
        if entry.size() != entry.compressed_size() {
            return Err(bad(format!("'{name}' declares inconsistent sizes")));
        }
        if entry.size() > *limit as u64 {
            return Err(bad(format!("'{name}' is larger than {limit} bytes")));
        }
        let mut data = Vec::with_capacity(entry.size() as usize);
        (&mut entry)
            .take(*limit as u64 + 1)
            .read_to_end(&mut data)
            .map_err(|e| bad(format!("'{name}' cannot be read: {e}")))?;
        if data.len() as u64 != entry.size() {
            return Err(bad(format!("'{name}' is not the size it declares")));
        }
        out.push(data);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_stored_entries() {
        let z = write(&[("a", b"hello"), ("b", b"world")]).unwrap();
        let got = read(&z, &[("a", 10), ("b", 10)]).unwrap();
        assert_eq!(got, vec![b"hello".to_vec(), b"world".to_vec()]);
    }

    #[test]
    fn refuses_wrong_names_order_counts_and_sizes() {
        let z = write(&[("a", b"hello"), ("b", b"world")]).unwrap();
        assert!(read(&z, &[("b", 10), ("a", 10)]).is_err());
        assert!(read(&z, &[("a", 10)]).is_err());
        assert!(read(&z, &[("a", 3), ("b", 10)]).is_err());
        let mut prefixed = b"MZ stub".to_vec();
        prefixed.extend_from_slice(&z);
        assert!(read(&prefixed, &[("a", 10), ("b", 10)]).is_err());
        assert_eq!(read(b"", &[]), Err(BundleError::Empty));
        assert!(matches!(
            read(b"\xD0\xCF\x11\xE0rest", &[]),
            Err(BundleError::NotABundle(_))
        ));
    }
}
