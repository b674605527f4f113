//! A quick look inside an xlsx file's zip parts without calamine: whether any part could
//! declare merged cells. calamine reports a sheet's merged cells only by parsing the sheet's
//! XML a second time, which cost as much as reading its cells; most registers have no merges,
//! and an inflated part that never contains `mergeCell` cannot declare any. Anything this scan
//! does not understand (zip64, encryption, an unknown compression, a damaged directory) answers
//! "maybe", and the merges are then read as before.

use std::io::{Cursor, Read};

/// Inflated bytes scanned in all before giving up (and answering "maybe").
const MAX_SCANNED: u64 = 256 << 20;
const NEEDLE: &[u8] = b"mergeCell";

/// Whether some part of the xlsx in `bytes` may declare merged cells: `false` only when every
/// part was read and none contains `mergeCell`.
pub(crate) fn may_have_merges(bytes: &[u8]) -> bool {
    parts_without_merges(bytes) != Some(true)
}

/// `Some(true)` when every part was inflated (by the `zip` crate, which stops each part at the
/// size its directory declares) and none mentions `mergeCell`.
fn parts_without_merges(bytes: &[u8]) -> Option<bool> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    // Shared strings and styles are read as such, never as a sheet: their text may say
    // anything.
    let shared = |name: &str| name == "xl/sharedStrings.xml" || name == "xl/styles.xml";
    let mut budget = MAX_SCANNED;
    for i in 0..archive.len() {
        let part = archive.by_index(i).ok()?;
        if shared(&part.name().ok()?) {
            continue;
        }
        budget = budget.checked_sub(part.size())?;
        if contains_needle(part)? {
            return Some(false);
        }
    }
    Some(true)
}

fn contains(hay: &[u8]) -> bool {
    hay.windows(NEEDLE.len()).any(|w| w == NEEDLE)
}

/// Reads a part piece by piece, looking for the needle (also across pieces). `None` if the
/// part cannot be read to its end (damaged, or not the size the directory says).
fn contains_needle(mut reader: impl Read) -> Option<bool> {
    let keep = NEEDLE.len() - 1;
    let mut buf = vec![0u8; 64 * 1024];
    let mut held = 0; // bytes kept from the previous piece at the start of `buf`
    loop {
        let n = reader.read(&mut buf[held..]).ok()?;
        if n == 0 {
            return Some(false);
        }
        let filled = held + n;
        if contains(&buf[..filled]) {
            return Some(true);
        }
        held = keep.min(filled);
        buf.copy_within(filled - held..filled, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_it_cannot_read_may_have_merges() {
        assert!(may_have_merges(b""));
        assert!(may_have_merges(b"PK\x03\x04 not really a zip"));
    }

    #[test]
    fn a_sheet_with_merges_is_told_from_one_without() {
        let fixture = |name: &str| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures/xlsx")
                .join(name);
            std::fs::read(path).unwrap()
        };
        assert_eq!(
            parts_without_merges(&fixture("merged_cells.xlsx")),
            Some(false)
        );
        assert_eq!(
            parts_without_merges(&fixture("title_rows.xlsx")),
            Some(true)
        );
        assert_eq!(parts_without_merges(&fixture("truncated.xlsx")), None);
    }

    #[test]
    fn the_needle_is_found_across_pieces() {
        for pad in [0usize, 1, 65_530, 65_531, 65_536, 70_000] {
            let mut text = vec![b'a'; pad];
            text.extend_from_slice(b"<mergeCells count=\"1\">");
            assert_eq!(contains_needle(&text[..]), Some(true), "{pad}");
            let clean = vec![b'a'; pad + 20];
            assert_eq!(contains_needle(&clean[..]), Some(false), "{pad}");
        }
    }
}
