//! A look at a .xls file before calamine reads it. calamine 0.38 follows compound-file sector
//! chains without a bound and sizes each sheet from the cell positions and DIMENSIONS records
//! it finds, so a few kilobytes can make it allocate gigabytes (found by fuzzing). This reads
//! the compound file's FAT and the Workbook stream's records just far enough to refuse those
//! files: chains that loop, and sheets whose area is beyond the importer's cell limit.

/// What the look found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Nothing that would make calamine run away (it may still refuse the file).
    Fine,
    /// A sector chain loops.
    Loops,
    /// A sheet claims or spans more cells than `max_cells`.
    TooBig,
}

const MAX_REGULAR: u32 = 0xFFFF_FFFA;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    b.get(o..o.checked_add(2)?)
        .map(|x| u16::from_le_bytes([x[0], x[1]]))
}

fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    b.get(o..o.checked_add(4)?)
        .map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

fn words(s: &[u8]) -> Vec<u32> {
    s.chunks_exact(4)
        .map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
        .collect()
}

/// A compound file's sectors and FAT.
struct Cfb<'a> {
    b: &'a [u8],
    size: usize,
    fat: Vec<u32>,
}

impl<'a> Cfb<'a> {
    fn parse(b: &'a [u8]) -> Option<Cfb<'a>> {
        let size = match u16_at(b, 30)? {
            9 => 512usize,
            12 => 4096,
            _ => return None,
        };
        let mut cfb = Cfb {
            b,
            size,
            fat: Vec::new(),
        };
        let max_sectors = b.len() / size + 1;
        let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(b, 76 + 4 * i)).collect();
        let mut next = u32_at(b, 68).unwrap_or(u32::MAX);
        let mut steps = 0;
        while next <= MAX_REGULAR {
            steps += 1;
            if steps > max_sectors {
                break;
            }
            let mut entries = words(cfb.sector(next));
            next = entries.pop().unwrap_or(u32::MAX);
            fat_sectors.extend(entries);
        }
        cfb.fat = fat_sectors
            .into_iter()
            .filter(|id| *id <= MAX_REGULAR)
            .take(max_sectors)
            .flat_map(|id| words(cfb.sector(id)))
            .collect();
        Some(cfb)
    }

    /// Sector `id` (the header takes the first sector's worth of bytes).
    fn sector(&self, id: u32) -> &'a [u8] {
        let start = (id as usize).saturating_add(1).saturating_mul(self.size);
        let end = start.saturating_add(self.size).min(self.b.len());
        self.b.get(start..end).unwrap_or(&[])
    }

    /// Whether following the FAT from any sector always ends.
    fn chains_end(&self) -> bool {
        let fat = &self.fat;
        let mut state = vec![0u8; fat.len()]; // 0 unseen, 1 on the current path, 2 ends
        for start in 0..fat.len() {
            let mut path = Vec::new();
            let mut at = start;
            loop {
                match state[at] {
                    2 => break,
                    1 => return false,
                    _ => {}
                }
                state[at] = 1;
                path.push(at);
                let n = fat[at] as usize;
                if fat[at] > MAX_REGULAR || n >= fat.len() {
                    break;
                }
                at = n;
            }
            for p in path {
                state[p] = 2;
            }
        }
        true
    }

    /// The bytes of the chain starting at `start`, at most `limit` (chains must end).
    fn chain(
        &self,
        table: &[u32],
        sector: &dyn Fn(u32) -> &'a [u8],
        start: u32,
        limit: usize,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0;
        while id != END_OF_CHAIN && id <= MAX_REGULAR && out.len() < limit && steps <= table.len() {
            let s = sector(id);
            let take = s.len().min(limit - out.len());
            out.extend_from_slice(&s[..take]);
            match table.get(id as usize) {
                Some(n) => id = *n,
                None => break,
            }
            steps += 1;
        }
        out
    }

    /// The stream of the first directory entry called one of `names` (case ignored).
    fn stream(&self, names: &[&str]) -> Option<Vec<u8>> {
        let regular = |id: u32| self.sector(id);
        let dirs = self.chain(&self.fat, &regular, u32_at(self.b, 48)?, self.b.len());
        let entries: Vec<&[u8]> = dirs.chunks_exact(128).collect();
        let root = entries.first()?;
        let name_of = |e: &[u8]| -> String {
            let units: Vec<u16> = e[..64]
                .chunks_exact(2)
                .map(|x| u16::from_le_bytes([x[0], x[1]]))
                .take_while(|u| *u != 0)
                .collect();
            String::from_utf16_lossy(&units)
        };
        let entry = entries
            .iter()
            .find(|e| names.iter().any(|n| name_of(e).eq_ignore_ascii_case(n)))?;
        let start = u32_at(entry, 116)?;
        let len = (u32_at(entry, 120)? as usize).min(self.b.len());
        if len >= 4096 {
            return Some(self.chain(&self.fat, &regular, start, len));
        }
        // Small streams live in 64-byte sectors of the root entry's mini stream.
        let mini_stream = self.chain(
            &self.fat,
            &regular,
            u32_at(root, 116)?,
            (u32_at(root, 120)? as usize).min(self.b.len()),
        );
        let mini_fat_len = (u32_at(self.b, 64)? as usize).saturating_mul(self.size);
        let mini_fat = words(&self.chain(
            &self.fat,
            &regular,
            u32_at(self.b, 60)?,
            mini_fat_len.min(self.b.len()),
        ));
        let mini = |id: u32| -> &[u8] {
            let s = (id as usize).saturating_mul(64);
            mini_stream
                .get(s..s.saturating_add(64).min(mini_stream.len()))
                .unwrap_or(&[])
        };
        let mut out = Vec::new();
        let mut id = start;
        let mut seen = 0;
        while id != END_OF_CHAIN && id <= MAX_REGULAR && out.len() < len && seen <= mini_fat.len() {
            let s = mini(id);
            let take = s.len().min(len - out.len());
            out.extend_from_slice(&s[..take]);
            match mini_fat.get(id as usize) {
                Some(n) => id = *n,
                None => break,
            }
            seen += 1;
        }
        Some(out)
    }
}

/// BIFF records (type, data with CONTINUE records appended) from `at`.
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (u16, Vec<u8>)> + '_ {
    std::iter::from_fn(move || {
        let t = u16_at(stream, at)?;
        let len = u16_at(stream, at + 2)? as usize;
        let mut data = stream.get(at + 4..at + 4 + len)?.to_vec();
        at += 4 + len;
        while u16_at(stream, at) == Some(0x003C) {
            let l = u16_at(stream, at + 2)? as usize;
            data.extend_from_slice(stream.get(at + 4..at + 4 + l)?);
            at += 4 + l;
        }
        Some((t, data))
    })
}

/// Whether calamine's sheet sizing from this DIMENSIONS record stays within `max_cells`.
fn dimensions_fit(d: &[u8], max_cells: u64) -> bool {
    let (rf, rl, cf, cl) = match d.len() {
        10 => (
            u32::from(u16_at(d, 0).unwrap_or(0)),
            u32::from(u16_at(d, 2).unwrap_or(0)),
            u32::from(u16_at(d, 4).unwrap_or(0)),
            u32::from(u16_at(d, 6).unwrap_or(0)),
        ),
        14 | 16 => (
            u32_at(d, 0).unwrap_or(0),
            u32_at(d, 4).unwrap_or(0),
            u32::from(u16_at(d, 8).unwrap_or(0)),
            u32::from(u16_at(d, 10).unwrap_or(0)),
        ),
        _ => return true, // calamine refuses it
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    let (end_r, end_c) = if rl >= 1 && cl >= 1 {
        (rl - 1, cl - 1)
    } else {
        (rf, cf)
    };
    if end_r < rf || end_c < cf {
        return false;
    }
    u64::from(end_r - rf + 1) * u64::from(end_c - cf + 1) <= max_cells
}

/// Whether every sheet of a BIFF8 workbook stream stays within `max_cells` and `max_columns`.
fn sheets_fit(stream: &[u8], max_cells: u64, max_columns: u32) -> bool {
    let mut positions = Vec::new();
    for (t, d) in records(stream, 0) {
        match t {
            0x0085 => positions.extend(u32_at(&d, 0)),
            0x000A => break,
            _ => {}
        }
    }
    for pos in positions {
        let (mut min_r, mut max_r, mut min_c, mut max_c) = (u32::MAX, 0u32, u32::MAX, 0u32);
        let mut seen_bof = false;
        let mut depth = 0usize;
        for (t, d) in records(stream, pos as usize) {
            if depth > 0 {
                match t {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let cell = |d: &[u8]| Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)));
            let mut mark = |r: u32, c: u32| {
                min_r = min_r.min(r);
                max_r = max_r.max(r);
                min_c = min_c.min(c);
                max_c = max_c.max(c);
            };
            match t {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 if !dimensions_fit(&d, max_cells) => return false,
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let Some((r, c)) = cell(&d) {
                        mark(r, c);
                    }
                }
                0x00BD => {
                    if let (Some((r, c)), Some(last)) =
                        (cell(&d), u16_at(&d, d.len().saturating_sub(2)))
                    {
                        mark(r, c);
                        mark(r, u32::from(last));
                    }
                }
                _ => {}
            }
        }
        if max_r >= min_r {
            let area = u64::from(max_r - min_r + 1) * u64::from(max_c.saturating_sub(min_c) + 1);
            if area > max_cells || max_c >= max_columns {
                return false;
            }
        }
    }
    true
}

/// Looks at a compound file (.xls) before calamine does.
pub(crate) fn check(b: &[u8], max_cells: u64, max_columns: u32) -> Verdict {
    let Some(cfb) = Cfb::parse(b) else {
        return Verdict::Fine;
    };
    if !cfb.chains_end() {
        return Verdict::Loops;
    }
    match cfb.stream(&["Workbook", "Book"]) {
        Some(stream) if !sheets_fit(&stream, max_cells, max_columns) => Verdict::TooBig,
        _ => Verdict::Fine,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compound file with 512-byte sectors whose FAT (sector 0) holds `fat`.
    fn cfb_with_fat(fat: &[(usize, u32)]) -> Vec<u8> {
        let mut b = vec![0u8; 512 * 3];
        b[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        b[30] = 9;
        b[68..72].copy_from_slice(&u32::MAX.to_le_bytes());
        for i in 1..109 {
            b[76 + 4 * i..80 + 4 * i].copy_from_slice(&u32::MAX.to_le_bytes());
        }
        let base = 512;
        for i in 0..128 {
            b[base + 4 * i..base + 4 * i + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        }
        b[base..base + 4].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes());
        for (i, v) in fat {
            b[base + 4 * i..base + 4 * i + 4].copy_from_slice(&v.to_le_bytes());
        }
        b
    }

    #[test]
    fn looping_chains_are_found() {
        assert_eq!(
            check(&cfb_with_fat(&[(1, 2), (2, 1)]), 100, 10),
            Verdict::Loops
        );
        assert_eq!(
            check(&cfb_with_fat(&[(1, 2), (2, END_OF_CHAIN)]), 100, 10),
            Verdict::Fine
        );
    }

    #[test]
    fn sheets_too_big_for_memory_are_found() {
        // Globals: BOUNDSHEET pointing at offset 12, EOF; then a sheet: BOF, a NUMBER far out.
        let mut s = Vec::new();
        let rec = |s: &mut Vec<u8>, t: u16, d: &[u8]| {
            s.extend_from_slice(&t.to_le_bytes());
            s.extend_from_slice(&(d.len() as u16).to_le_bytes());
            s.extend_from_slice(d);
        };
        rec(&mut s, 0x0085, &[12, 0, 0, 0]);
        rec(&mut s, 0x000A, &[]);
        assert_eq!(s.len(), 12);
        rec(&mut s, 0x0809, &[0; 4]);
        rec(&mut s, 0x0203, &[0u8; 14]); // A1
        let mut number = vec![0u8; 14];
        number[0..2].copy_from_slice(&60000u16.to_le_bytes());
        number[2..4].copy_from_slice(&200u16.to_le_bytes());
        rec(&mut s, 0x0203, &number);
        rec(&mut s, 0x000A, &[]);
        assert!(sheets_fit(&s, 100_000_000, 1000));
        assert!(!sheets_fit(&s, 1_000_000, 1000), "60001 x 201 cells");
        assert!(!sheets_fit(&s, 100_000_000, 100), "column 200");
        // A DIMENSIONS record whose last row is before its first.
        assert!(!dimensions_fit(
            &[5, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0],
            100
        ));
        assert!(dimensions_fit(
            &[0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 3, 0, 0, 0],
            100
        ));
    }
}
