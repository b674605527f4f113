//! A quick look inside an xlsx file's zip parts without calamine: whether any part could
//! declare merged cells. calamine reports a sheet's merged cells only by parsing the sheet's
//! XML a second time, which cost as much as reading its cells; most registers have no merges,
//! and an inflated part that never contains `mergeCell` cannot declare any. Anything this scan
//! does not understand (zip64, encryption, an unknown compression, a damaged directory) answers
//! "maybe", and the merges are then read as before.

use std::io::Read;

const END_OF_DIRECTORY: u32 = 0x0605_4b50;
const DIRECTORY_ENTRY: u32 = 0x0201_4b50;
const LOCAL_HEADER: u32 = 0x0403_4b50;
/// Inflated bytes scanned in all before giving up (and answering "maybe").
const MAX_SCANNED: u64 = 256 << 20;
const NEEDLE: &[u8] = b"mergeCell";

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at + 2)?;
    Some(usize::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Whether some part of the xlsx in `bytes` may declare merged cells: `false` only when every
/// part was read and none contains `mergeCell`.
pub(crate) fn may_have_merges(bytes: &[u8]) -> bool {
    parts_without_merges(bytes) != Some(true)
}

/// `Some(true)` when every part was inflated and none mentions `mergeCell`.
fn parts_without_merges(bytes: &[u8]) -> Option<bool> {
    // The end-of-directory record is within the last 64 KiB + 22 bytes (its comment).
    let floor = bytes.len().saturating_sub(22 + 0xFFFF);
    let end = (floor..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&i| u32_at(bytes, i) == Some(END_OF_DIRECTORY))?;
    let entries = u16_at(bytes, end + 10)?;
    let mut at = usize::try_from(u32_at(bytes, end + 16)?).ok()?;
    if entries == 0xFFFF || at == 0xFFFF_FFFF {
        return None; // zip64
    }
    let shared = |name: &[u8]| name == b"xl/sharedStrings.xml" || name == b"xl/styles.xml";
    let mut budget = MAX_SCANNED;
    for _ in 0..entries {
        if u32_at(bytes, at)? != DIRECTORY_ENTRY {
            return None;
        }
        let flags = u16_at(bytes, at + 8)?;
        let method = u16_at(bytes, at + 10)?;
        let packed = usize::try_from(u32_at(bytes, at + 20)?).ok()?;
        let size = u32_at(bytes, at + 24)?;
        let name_len = u16_at(bytes, at + 28)?;
        let extra_len = u16_at(bytes, at + 30)?;
        let comment_len = u16_at(bytes, at + 32)?;
        let local = usize::try_from(u32_at(bytes, at + 42)?).ok()?;
        let name = bytes.get(at + 46..at + 46 + name_len)?;
        at += 46 + name_len + extra_len + comment_len;
        if flags & 1 != 0 || packed == 0xFFFF_FFFF || size == 0xFFFF_FFFF {
            return None; // encrypted or zip64
        }
        // Shared strings and styles are read as such, never as a sheet: their text may say
        // anything.
        if shared(name) {
            continue;
        }
        budget = budget.checked_sub(u64::from(size))?;
        if u32_at(bytes, local)? != LOCAL_HEADER {
            return None;
        }
        let start = local + 30 + u16_at(bytes, local + 26)? + u16_at(bytes, local + 28)?;
        let data = bytes.get(start..start.checked_add(packed)?)?;
        let found = match method {
            0 => contains(data),
            8 => inflated_contains(data, u64::from(size))?,
            _ => return None,
        };
        if found {
            return Some(false);
        }
    }
    Some(true)
}

fn contains(hay: &[u8]) -> bool {
    hay.windows(NEEDLE.len()).any(|w| w == NEEDLE)
}

/// Inflates a deflate stream of `size` bytes piece by piece, looking for the needle (also
/// across pieces). `None` if the stream is damaged or not the size the directory says.
fn inflated_contains(data: &[u8], size: u64) -> Option<bool> {
    let mut reader = flate2::read::DeflateDecoder::new(data);
    let keep = NEEDLE.len() - 1;
    let mut buf = vec![0u8; 64 * 1024];
    let mut held = 0; // bytes kept from the previous piece at the start of `buf`
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf[held..]).ok()?;
        if n == 0 {
            return (total == size).then_some(false);
        }
        total += n as u64;
        if total > size {
            return None;
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
        use std::io::Write;
        for pad in [0usize, 1, 65_530, 65_531, 65_536, 70_000] {
            let mut text = vec![b'a'; pad];
            text.extend_from_slice(b"<mergeCells count=\"1\">");
            let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(&text).unwrap();
            let packed = z.finish().unwrap();
            assert_eq!(
                inflated_contains(&packed, text.len() as u64),
                Some(true),
                "{pad}"
            );
            let clean = vec![b'a'; pad + 20];
            let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(&clean).unwrap();
            let packed = z.finish().unwrap();
            assert_eq!(inflated_contains(&packed, clean.len() as u64), Some(false));
            assert_eq!(
                inflated_contains(&packed, clean.len() as u64 + 1),
                None,
                "a part of another size than the directory says is not trusted"
            );
        }
    }
}
