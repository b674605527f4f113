//! Refuses zip bombs before an xlsx or ods file is handed to calamine. Both are ZIP archives;
//! the `zip` crate (which calamine reads them with) stops every entry at the size its central
//! directory declares, so the declared sizes bound what opening the file can unpack. Here they
//! are added up: more than [`MAX_UNPACKED`] bytes, or more than [`MAX_ENTRIES`] entries, and the
//! file is refused before any of it is inflated. An archive whose directory cannot be read is
//! left for calamine, which names the damage as before.

use std::io::Cursor;

/// The most a workbook may unpack to: 1 GiB, far above any register (a sheet at the 5-million
/// cell limit is about 500 MB of XML).
pub(crate) const MAX_UNPACKED: u64 = 1 << 30;
/// The most entries a workbook may hold (a workbook of 1,000 sheets has about 1,100).
pub(crate) const MAX_ENTRIES: usize = 20_000;

/// What the central directory says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Within the limits, or not readable as a ZIP here (calamine will say why).
    Fine,
    /// The entries declare more than [`MAX_UNPACKED`] bytes in all.
    Unpacks { bytes: u64 },
    /// More than [`MAX_ENTRIES`] entries.
    TooManyEntries { entries: usize },
}

/// Checks an xlsx or ods file's declared sizes.
pub(crate) fn check(bytes: &[u8]) -> Verdict {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Verdict::Fine;
    };
    if archive.len() > MAX_ENTRIES {
        return Verdict::TooManyEntries {
            entries: archive.len(),
        };
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(i) else {
            return Verdict::Fine;
        };
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNPACKED {
        return Verdict::Unpacks { bytes: total };
    }
    Verdict::Fine
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in entries {
            out.start_file(*name, options).expect("start entry");
            out.write_all(data).expect("write entry");
        }
        out.finish().expect("finish").into_inner()
    }

    /// Rewrites the uncompressed size in every central directory header to `size`, as a zip
    /// bomb's directory would declare it.
    fn declare_size(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
        let mut i = 0;
        while i + 28 <= bytes.len() {
            if bytes[i..i + 4] == *b"PK\x01\x02" {
                bytes[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                i += 46;
            } else {
                i += 1;
            }
        }
        bytes
    }

    #[test]
    fn a_small_archive_is_fine() {
        let bytes = archive(&[("xl/workbook.xml", b"<workbook/>"), ("a.xml", b"<a/>")]);
        assert_eq!(check(&bytes), Verdict::Fine);
    }

    #[test]
    fn entries_declaring_more_than_a_gibibyte_in_all_are_refused() {
        let bytes = archive(&[("xl/sharedStrings.xml", b"<sst/>"), ("b.xml", b"<b/>")]);
        let bomb = declare_size(bytes, 600 << 20);
        assert_eq!(
            check(&bomb),
            Verdict::Unpacks {
                bytes: 2 * (600 << 20)
            }
        );
    }

    #[test]
    fn too_many_entries_are_refused() {
        let names: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("e{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        assert_eq!(
            check(&archive(&entries)),
            Verdict::TooManyEntries {
                entries: MAX_ENTRIES + 1
            }
        );
    }

    #[test]
    fn what_is_not_a_readable_zip_is_left_to_calamine() {
        assert_eq!(check(b"PK\x03\x04 and then nothing"), Verdict::Fine);
    }
}
