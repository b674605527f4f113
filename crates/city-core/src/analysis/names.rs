//! Names and identifiers of suppliers and products as boroughs spell them, made comparable:
//! case, spacing, punctuation, `&`/`and` and legal suffixes (Ltd, Limited, plc, LLP, (UK),
//! UK, Group …) are normalised away; Companies House numbers regain their leading zeros; and
//! a similarity score (from `strsim`) ranks near misses for an analyst to confirm or reject.

/// Words dropped from the end of a supplier's name: legal forms and geographic / group tags.
const LEGAL_SUFFIXES: &[&str] = &[
    "ltd",
    "limited",
    "plc",
    "llp",
    "lp",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "gmbh",
    "bv",
    "sa",
    "ag",
    "uk",
    "gb",
    "group",
    "holdings",
    "co",
    "company",
    "the",
];

/// Lower case, `&` as `and`, punctuation as spaces, single spaces.
pub(crate) fn basic(name: &str) -> String {
    let lowered = name.to_lowercase().replace('&', " and ");
    let cleaned: String = lowered
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A supplier's name reduced to what identifies it: `"Civica UK Ltd"`, `"CIVICA UK LIMITED"`
/// and `"Civica"` all become `"civica"`. A leading "the" and trailing legal suffixes go; a
/// name made only of suffixes is kept as it was (after [`basic`]).
pub(crate) fn supplier_key(name: &str) -> String {
    let b = basic(name);
    let mut words: Vec<&str> = b.split(' ').filter(|w| !w.is_empty()).collect();
    if words.first() == Some(&"the") && words.len() > 1 {
        words.remove(0);
    }
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL_SUFFIXES.contains(w)) {
        words.pop();
    }
    words.join(" ")
}

/// A product's name made comparable (case, spacing, punctuation, `&`).
pub(crate) fn product_key(name: &str) -> String {
    basic(name)
}

/// A Companies House number as the register writes it: upper case, zero-padded to 8.
pub(crate) fn companies_house(raw: &str) -> Option<String> {
    let n = crate::domain::records::normalise_companies_house(raw);
    (!n.is_empty()).then_some(n)
}

/// A PPON, upper case without spaces.
pub(crate) fn ppon(raw: &str) -> Option<String> {
    let p: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    (!p.is_empty()).then_some(p)
}

/// How alike two normalised names are, from 0 (nothing in common) to 1 (the same): the larger
/// of the normalised Levenshtein similarity and the Sørensen–Dice coefficient of letter pairs.
/// A shared first word is required for a non-zero score, so "capita" and "capital software"
/// score 0 while "northgate public services" and "northgate pubic services" score high.
pub(crate) fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if first_word(a) != first_word(b) {
        return 0.0;
    }
    strsim::normalized_levenshtein(a, b).max(strsim::sorensen_dice(a, b))
}

/// The first word of a normalised name (the whole name if it has one word): two names score
/// above 0 in [`similarity`] only if these are equal.
pub(crate) fn first_word(name: &str) -> &str {
    name.split(' ').next().unwrap_or_default()
}

/// A short stable id for a pair of names (FNV-1a, 64 bits, hex): the same pair gets the same id
/// every time and in every cycle, whichever order the names come in.
pub(crate) fn pair_id(kind: &str, a: &str, b: &str) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in kind
        .bytes()
        .chain([0])
        .chain(x.bytes())
        .chain([0])
        .chain(y.bytes())
    {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")[..12].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_meet() {
        for v in [
            "Civica UK Ltd",
            "CIVICA UK LIMITED",
            "Civica",
            "civica (UK) ltd.",
            "Civica Group",
            " The Civica  Group plc ",
        ] {
            assert_eq!(supplier_key(v), "civica", "{v}");
        }
        assert_eq!(supplier_key("Marks & Spencer"), "marks and spencer");
        assert_eq!(
            supplier_key("Marks and Spencer Group plc"),
            "marks and spencer"
        );
        assert_eq!(supplier_key("Limited"), "limited");
        assert_eq!(
            supplier_key("NEC Software Solutions UK Ltd"),
            "nec software solutions"
        );
        assert_ne!(
            supplier_key("Capita plc"),
            supplier_key("Capital Software Ltd")
        );
    }

    #[test]
    fn identifiers_are_padded_and_uppercased() {
        assert_eq!(companies_house("1628868").as_deref(), Some("01628868"));
        assert_eq!(companies_house("01628868").as_deref(), Some("01628868"));
        assert_eq!(companies_house("sc12345").as_deref(), Some("SC012345"));
        assert_eq!(companies_house("  "), None);
        assert_eq!(ppon("pmzv-7732-xxtt").as_deref(), Some("PMZV-7732-XXTT"));
    }

    #[test]
    fn similarity_ranks_typos_high_and_different_companies_low() {
        assert!(similarity("northgate public services", "northgate pubic services") > 0.9);
        assert_eq!(similarity("capita", "capital software"), 0.0);
        assert!(similarity("idox", "idox software") < 0.8);
        assert_eq!(similarity("x", "x"), 1.0);
    }

    #[test]
    fn pair_ids_are_stable_and_order_free() {
        assert_eq!(pair_id("supplier", "a", "b"), pair_id("supplier", "b", "a"));
        assert_ne!(pair_id("supplier", "a", "b"), pair_id("product", "a", "b"));
        assert_eq!(pair_id("supplier", "a", "b").len(), 12);
    }
}
