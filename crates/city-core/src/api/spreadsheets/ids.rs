//! The ids of the records one import creates: UUID version 7 (RFC 9562, time-ordered), made
//! by a generator of the import's own instead of `Uuid::now_v7`, which asks the kernel for
//! fresh randomness for every id (a system call per record: 50,000 for a 50,000-row register).
//! The generator asks once, when the import starts, and then counts: each id is the current
//! Unix time in milliseconds, a 42-bit counter (RFC 9562's "fixed bit-length dedicated
//! counter", method 1) that starts at a random value each millisecond and goes up by one per
//! id within it, and 32 bits from a pseudo-random sequence seeded with that randomness. The
//! ids of one generator are strictly ascending (the store's `(return, id)` index is appended
//! to), even if the clock steps back; ids of different imports differ by their random counter
//! start and tail.

use uuid::{Builder, Uuid};

/// Bits of the counter: rand_a's 12 and the 30 at the top of rand_b.
const COUNTER_BITS: u32 = 42;

/// A counter starts below this, so that a millisecond has room for 2^41 ids after it.
const START_MAX: u64 = 1 << (COUNTER_BITS - 1);

/// Makes the version 7 ids of one import (see the module's documentation).
pub(super) struct IdGen {
    /// The millisecond of the last id.
    millis: u64,
    /// The counter of the last id within `millis`.
    counter: u64,
    /// SplitMix64's state, for the counter's starts and the random tails.
    state: u64,
}

impl IdGen {
    /// A generator seeded from the operating system's randomness (one request).
    pub(super) fn new() -> IdGen {
        let seed = Uuid::new_v4().as_u128();
        IdGen::seeded((seed >> 64) as u64 ^ seed as u64)
    }

    /// A generator with a given seed (tests).
    fn seeded(seed: u64) -> IdGen {
        IdGen {
            millis: 0,
            counter: 0,
            state: seed,
        }
    }

    /// The next id, at the current time.
    pub(super) fn next_id(&mut self) -> Uuid {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        self.at(now)
    }

    /// The next id at `now` (milliseconds since 1970): later than every id made before.
    fn at(&mut self, now: u64) -> Uuid {
        if now > self.millis {
            self.millis = now;
            self.counter = self.random() % START_MAX;
        } else {
            // The same millisecond, or the clock went back: count on from the last id.
            self.counter += 1;
            if self.counter >> COUNTER_BITS != 0 {
                // The counter is full (2^41 ids in a millisecond): borrow the next one.
                self.millis += 1;
                self.counter = self.random() % START_MAX;
            }
        }
        let c = self.counter;
        let tail = (self.random() >> 32) as u32;
        // `Builder::from_unix_timestamp_millis` keeps the low 4 bits of byte 0 and byte 1
        // (rand_a) and the low 6 bits of byte 2 (rand_b after the variant): the counter's 42
        // bits go there and in bytes 3–5; bytes 6–9 are random.
        let t = tail.to_be_bytes();
        let bytes = [
            (c >> 38) as u8 & 0x0F,
            (c >> 30) as u8,
            (c >> 24) as u8 & 0x3F,
            (c >> 16) as u8,
            (c >> 8) as u8,
            c as u8,
            t[0],
            t[1],
            t[2],
            t[3],
        ];
        Builder::from_unix_timestamp_millis(self.millis, &bytes).into_uuid()
    }

    /// SplitMix64 (Steele, Lea and Flood): the next pseudo-random number.
    fn random(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use uuid::{Variant, Version};

    /// The millisecond a version 7 id holds.
    fn millis_of(id: Uuid) -> u64 {
        let (secs, nanos) = id.get_timestamp().expect("v7 has a time").to_unix();
        secs * 1000 + u64::from(nanos) / 1_000_000
    }

    #[test]
    fn ids_are_version_7_unique_and_ascending() {
        let mut g = IdGen::new();
        let ids: Vec<Uuid> = (0..100_000).map(|_| g.next_id()).collect();
        for id in &ids {
            assert_eq!(id.get_version(), Some(Version::SortRand), "{id}");
            assert_eq!(id.get_variant(), Variant::RFC4122, "{id}");
        }
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ascending");
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
        // Their time is now (within the test's run).
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_millis() as u64;
        let first = millis_of(ids[0]);
        assert!(first <= now && now - first < 60_000, "{first} vs {now}");
    }

    #[test]
    fn the_time_is_the_clock_and_the_counter_counts_within_a_millisecond() {
        let mut g = IdGen::seeded(7);
        let a = g.at(1_700_000_000_000);
        let b = g.at(1_700_000_000_000);
        let c = g.at(1_700_000_000_005);
        assert_eq!(millis_of(a), 1_700_000_000_000);
        assert_eq!(millis_of(b), 1_700_000_000_000);
        assert_eq!(millis_of(c), 1_700_000_000_005);
        assert!(a < b && b < c);
        // The counter (rand_a, bits 64–75, and the top of rand_b, bits 32–61) is one more.
        let counter = |id: Uuid| {
            let v = id.as_u128();
            (((v >> 64) & 0x0FFF) << 30) | ((v >> 32) & 0x3FFF_FFFF)
        };
        assert_eq!(counter(b), counter(a) + 1);
        // It starts in the lower half, leaving room to count.
        assert!(counter(a) < u128::from(START_MAX) && counter(c) < u128::from(START_MAX));
    }

    #[test]
    fn a_clock_that_steps_back_still_gives_ascending_ids() {
        let mut g = IdGen::seeded(1);
        let a = g.at(2_000_000);
        let b = g.at(1_000_000);
        let c = g.at(1_500_000);
        assert!(a < b && b < c);
        assert_eq!(millis_of(b), 2_000_000);
        assert_eq!(b.get_version(), Some(Version::SortRand));
    }

    #[test]
    fn a_full_counter_moves_on_to_the_next_millisecond() {
        let mut g = IdGen::seeded(3);
        let a = g.at(5_000);
        g.counter = (1 << COUNTER_BITS) - 1;
        let b = g.at(5_000);
        assert_eq!(millis_of(b), 5_001);
        assert!(a < b);
        let c = g.at(5_000);
        assert!(b < c && millis_of(c) == 5_001);
    }

    #[test]
    fn two_generators_make_different_ids() {
        let mut g = IdGen::new();
        let mut h = IdGen::new();
        let mine: HashSet<Uuid> = (0..10_000).map(|_| g.next_id()).collect();
        assert!((0..10_000).all(|_| !mine.contains(&h.next_id())));
    }
}
