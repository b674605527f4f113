//! Answer mapping: turning the words a register uses in a column whose field has options
//! (`Revenues & Benefits`, `G Cloud 14 call-off`, `H`, `No - EOL 2024`) into one option of
//! the field's enumeration, with how sure the suggestion is. Each enumeration has a table of
//! synonyms a council would write (one file per table here, each with its tests, including
//! values that must stay unmapped); the search is, in order: the option's own label or id, a
//! whole-value synonym, a "not known" word, a phrase inside the value, then string similarity.
//! A value that fits no option gets no suggestion: it is never turned into a wrong one.
//!
//! What the user confirmed (and what the store remembers from earlier imports) comes first:
//! see [`Resolver`], which reads a whole column once per distinct value.

mod criticality;
mod hosting;
mod procurement_route;
mod readiness;
mod satisfaction;
mod service_area;
mod skills;
mod support_status;
mod system_category;
mod yes_no;

use super::values::is_unknown_word;
use std::collections::HashMap;

/// The pseudo-enumeration of yes / no fields (booleans), with the ids `yes` and `no`.
pub(crate) const YES_NO: &str = "YesNo";

/// The least confidence at which a suggestion is used without being confirmed.
pub(crate) const THRESHOLD: u8 = 70;

/// One line of a synonym table. Phrases are written normalised (see [`normalise`]): lower
/// case, `&` as `and`, apostrophes dropped, other punctuation as single spaces.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// The whole value is this phrase.
    Is(&'static str, &'static str),
    /// The phrase occurs in the value as whole words.
    Has(&'static str, &'static str),
    /// A word of the value is this prefix followed by digits only (`rm6100`).
    Code(&'static str, &'static str),
    /// The whole value is this phrase, and it fits no one option: it stays unmapped.
    Never(&'static str),
    /// The phrase occurs in the value, which then stays unmapped (checked in table order).
    NeverHas(&'static str),
}

/// How a suggestion was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Basis {
    /// The option's label or id.
    Exact,
    /// A whole-value synonym from the table.
    Synonym,
    /// A phrase of the table inside the value.
    Word,
    /// Spelled nearly like a label or synonym.
    Similar,
    /// A word meaning "not known": left blank.
    NotKnown,
    /// Nothing fits.
    None,
}

/// A suggestion for one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Suggested {
    pub(crate) option: Option<&'static str>,
    pub(crate) basis: Basis,
    /// 0 to 100.
    pub(crate) confidence: u8,
}

impl Suggested {
    const NONE: Suggested = Suggested {
        option: None,
        basis: Basis::None,
        confidence: 0,
    };
    const NOT_KNOWN: Suggested = Suggested {
        option: None,
        basis: Basis::NotKnown,
        confidence: 100,
    };
    fn of(option: &'static str, basis: Basis, confidence: u8) -> Suggested {
        Suggested {
            option: Some(option),
            basis,
            confidence,
        }
    }
    /// The option the import uses without being told: a suggestion sure enough.
    pub(crate) fn answer(&self) -> Option<&'static str> {
        self.option.filter(|_| self.confidence >= THRESHOLD)
    }
}

/// The options of an answer set (an enumeration, or yes / no).
pub(crate) fn options(set: &str) -> Vec<(&'static str, &'static str)> {
    if set == YES_NO {
        return vec![("yes", "Yes"), ("no", "No")];
    }
    crate::sheet_layout::columns::options(set)
}

/// The synonym table of an answer set.
fn table(set: &str) -> &'static [Rule] {
    match set {
        "ServiceArea" => service_area::TABLE,
        "ProcurementRoute" => procurement_route::TABLE,
        "Hosting" => hosting::TABLE,
        "Criticality" => criticality::TABLE,
        "SupportStatus" => support_status::TABLE,
        "SystemCategory" => system_category::TABLE,
        "Satisfaction" => satisfaction::TABLE,
        YES_NO => yes_no::TABLE,
        "MfaCoverage" => readiness::MFA,
        "BackupState" => readiness::BACKUPS,
        "LawfulBasis" => readiness::LAWFUL_BASIS,
        "DpiaStatus" => readiness::DPIA,
        "Art28Terms" => readiness::ART28,
        "TransferMechanism" => readiness::TRANSFERS,
        "CeStatus" => readiness::CYBER_ESSENTIALS,
        "PsnStatus" => readiness::PSN,
        "CafRating" => readiness::CAF_RATING,
        "IcoRating" => readiness::ICO_RATING,
        "SkillArea" => skills::AREA,
        "SkillLevel" => skills::LEVEL,
        _ => &[],
    }
}

/// Lower case, `&` as ` and `, apostrophes dropped, ticks and crosses as words, any other
/// character that is not a letter or digit as a space; single spaces, trimmed. Values and
/// table phrases are compared in this form.
pub(crate) fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut space = false;
    let push_word = |out: &mut String, w: &str, space: &mut bool| {
        if *space && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        *space = false;
    };
    for c in s.chars() {
        match c {
            '\'' | '’' | '‘' | '`' => {}
            '&' | '+' => {
                space = true;
                push_word(&mut out, "and", &mut space);
                space = true;
            }
            '✓' | '✔' => {
                space = true;
                push_word(&mut out, "tick", &mut space);
                space = true;
            }
            '✗' | '✘' => {
                space = true;
                push_word(&mut out, "cross", &mut space);
                space = true;
            }
            c if c.is_alphanumeric() => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.extend(c.to_lowercase());
            }
            _ => space = true,
        }
    }
    out
}

/// Whether `phrase` occurs in `value` as whole words (both normalised).
fn has_words(value: &str, phrase: &str) -> bool {
    if phrase.is_empty() || value.len() < phrase.len() {
        return false;
    }
    value.match_indices(phrase).any(|(i, _)| {
        let before = value[..i].chars().next_back();
        let after = value[i + phrase.len()..].chars().next();
        before.is_none_or(|c| c == ' ') && after.is_none_or(|c| c == ' ')
    })
}

/// Whether a word of `value` is `prefix` followed by one or more digits only.
fn has_code(value: &str, prefix: &str) -> bool {
    value.split(' ').any(|w| {
        w.strip_prefix(prefix)
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
    })
}

/// The option an enumeration's own label or id names (the part of a label before a bracket
/// or dash counts too when only one option has it).
fn exact(value: &str, options: &[(&'static str, &'static str)]) -> Option<&'static str> {
    if let Some((id, _)) = options
        .iter()
        .find(|(id, label)| normalise(id) == value || normalise(label) == value)
    {
        return Some(id);
    }
    let mut heads = options.iter().filter(|(_, label)| {
        let head = label.split(" (").next().unwrap_or(label);
        let head = head.split(" – ").next().unwrap_or(head);
        normalise(head) == value
    });
    match (heads.next(), heads.next()) {
        (Some((id, _)), None) => Some(id),
        _ => None,
    }
}

/// How alike two normalised texts are (0 to 1): normalised Damerau–Levenshtein (a swapped pair of letters is one edit).
fn similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_damerau_levenshtein(a, b)
}

/// The suggestion for one value of a column whose field takes options of `set`.
pub(crate) fn suggest(set: &str, raw: &str) -> Suggested {
    let value = normalise(raw);
    if value.is_empty() {
        return if raw.trim().is_empty() {
            Suggested::NONE
        } else if is_unknown_word(raw) {
            Suggested::NOT_KNOWN
        } else {
            Suggested::NONE
        };
    }
    let options = options(set);
    if let Some(id) = exact(&value, &options) {
        return Suggested::of(id, Basis::Exact, 100);
    }
    let rules = table(set);
    let option_id = |id: &str| options.iter().map(|(o, _)| *o).find(|o| *o == id);
    for rule in rules {
        match *rule {
            Rule::Is(p, id) if p == value => {
                return option_id(id)
                    .map_or(Suggested::NONE, |o| Suggested::of(o, Basis::Synonym, 95));
            }
            Rule::Never(p) if p == value => return Suggested::NONE,
            _ => {}
        }
    }
    if is_unknown_word(raw) || matches!(value.as_str(), "none" | "n a" | "not applicable") {
        return Suggested::NOT_KNOWN;
    }
    for rule in rules {
        let found = match *rule {
            Rule::Has(p, id) if has_words(&value, p) => Some(Some(id)),
            Rule::Code(p, id) if has_code(&value, p) => Some(Some(id)),
            Rule::NeverHas(p) if has_words(&value, p) => Some(None),
            _ => None,
        };
        if let Some(found) = found {
            return found
                .and_then(option_id)
                .map_or(Suggested::NONE, |o| Suggested::of(o, Basis::Word, 80));
        }
    }
    if set == YES_NO
        && let Some(o) = yes_no::leading(&value)
    {
        return Suggested::of(o, Basis::Word, 80);
    }
    // Similar spelling: only for values long enough to mean something, and never when two
    // options are about as near.
    if value.chars().count() < 5 {
        return Suggested::NONE;
    }
    let mut best: Vec<(f64, &'static str)> = Vec::new();
    let mut consider = |text: &str, id: &'static str| {
        let s = similarity(&value, text);
        if s >= 0.8 {
            best.push((s, id));
        }
    };
    for (id, label) in &options {
        consider(&normalise(label), id);
        let head = label.split(" (").next().unwrap_or(label);
        consider(&normalise(head), id);
    }
    for rule in rules {
        if let Rule::Is(p, id) = *rule
            && let Some(o) = option_id(id)
        {
            consider(p, o);
        }
    }
    best.sort_by(|a, b| b.0.total_cmp(&a.0));
    match best.as_slice() {
        [] => Suggested::NONE,
        [(s, id), rest @ ..] => {
            if rest.iter().any(|(s2, id2)| id2 != id && s - s2 < 0.05) {
                return Suggested::NONE;
            }
            let confidence = ((s * 100.0).round() as u8).saturating_sub(15);
            Suggested::of(id, Basis::Similar, confidence)
        }
    }
}

/// What a cell's value comes to in the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// This option.
    Option(&'static str),
    /// Left blank because the user said so.
    Blank,
    /// A word meaning "not known".
    NotKnown,
    /// Nothing fits (or the suggestion is not sure enough and nobody confirmed it).
    Unmapped,
}

/// Resolves the values of one column: the answers given (confirmed in this import, or
/// remembered by the store), else the suggestion if it is sure enough. Each distinct value is
/// worked out once.
pub(crate) struct Resolver {
    set: &'static str,
    options: Vec<(&'static str, &'static str)>,
    given: HashMap<String, Option<&'static str>>,
    cache: HashMap<String, Resolution>,
}

impl Resolver {
    /// `given`: normalised value → option id (`None` = leave blank); ids not of the set are
    /// ignored (the API refuses them before this).
    pub(crate) fn new(set: &'static str, given: &HashMap<String, Option<String>>) -> Resolver {
        let options = options(set);
        let given = given
            .iter()
            .filter_map(|(v, o)| match o {
                None => Some((v.clone(), None)),
                Some(id) => options
                    .iter()
                    .find(|(x, _)| x == id)
                    .map(|(x, _)| (v.clone(), Some(*x))),
            })
            .collect();
        Resolver {
            set,
            options,
            given,
            cache: HashMap::new(),
        }
    }

    /// The label of an option (for messages).
    pub(crate) fn labels(&self) -> Vec<&'static str> {
        self.options.iter().map(|(_, l)| *l).collect()
    }

    pub(crate) fn resolve(&mut self, raw: &str) -> Resolution {
        if let Some(r) = self.cache.get(raw) {
            return *r;
        }
        let key = normalise(raw);
        let r = match self.given.get(&key) {
            Some(Some(id)) => Resolution::Option(id),
            Some(None) => Resolution::Blank,
            None => {
                let s = suggest(self.set, raw);
                match (s.basis, s.answer()) {
                    (Basis::NotKnown, _) => Resolution::NotKnown,
                    (_, Some(id)) => Resolution::Option(id),
                    _ => Resolution::Unmapped,
                }
            }
        };
        self.cache.insert(raw.to_string(), r);
        r
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the tables' tests.
    use super::*;

    /// Asserts each value's suggestion is the option (with a confidence at or above the
    /// threshold), and that each of `unmapped` gets no option at all.
    pub(crate) fn check(set: &str, mapped: &[(&str, &str)], unmapped: &[&str]) {
        for (value, want) in mapped {
            let s = suggest(set, value);
            assert_eq!(s.option, Some(*want), "{set}: {value:?} → {s:?}");
            assert!(s.confidence >= THRESHOLD, "{set}: {value:?} → {s:?}");
        }
        for value in unmapped {
            let s = suggest(set, value);
            assert_eq!(s.option, None, "{set}: {value:?} must stay unmapped: {s:?}");
        }
    }

    /// Every rule names an option of the set, and every phrase is written normalised.
    pub(crate) fn table_is_well_formed(set: &str) {
        let ids: Vec<&str> = options(set).iter().map(|(id, _)| *id).collect();
        assert!(!ids.is_empty(), "{set} has no options");
        for rule in table(set) {
            let (p, id) = match *rule {
                Rule::Is(p, id) | Rule::Has(p, id) | Rule::Code(p, id) => (p, Some(id)),
                Rule::Never(p) | Rule::NeverHas(p) => (p, None),
            };
            assert_eq!(normalise(p), p, "{set}: phrase {p:?} is not normalised");
            if let Some(id) = id {
                assert!(ids.contains(&id), "{set}: {id} is not an option");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_normalised_for_matching() {
        assert_eq!(normalise("Revenues & Benefits"), "revenues and benefits");
        assert_eq!(normalise("Children's Social Care"), "childrens social care");
        assert_eq!(normalise(" HR/Payroll "), "hr payroll");
        assert_eq!(normalise("G-Cloud 13"), "g cloud 13");
        assert_eq!(normalise("No - EOL 2024"), "no eol 2024");
        assert_eq!(normalise("Direct Award (waiver)"), "direct award waiver");
        assert_eq!(normalise("✓"), "tick");
        assert_eq!(normalise("esd:42"), "esd 42");
        assert_eq!(normalise("?"), "");
    }

    #[test]
    fn whole_words_and_codes() {
        assert!(has_words("g cloud 13", "g cloud"));
        assert!(!has_words("big cloud", "g cloud"));
        assert!(has_words("ccs rm6100 ts3", "ccs"));
        assert!(has_code("ccs rm6100 ts3", "rm"));
        assert!(!has_code("rmx", "rm"));
        assert!(!has_code("rm", "rm"));
    }

    #[test]
    fn labels_and_ids_are_exact_and_not_known_words_are_blank() {
        let s = suggest(
            "Criticality",
            "Critical (an essential service stops without it)",
        );
        assert_eq!((s.option, s.basis), (Some("critical"), Basis::Exact));
        assert_eq!(suggest("ServiceArea", "esd:42").option, Some("esd:42"));
        assert_eq!(
            suggest("SupportStatus", "Not known").option,
            Some("unknown")
        );
        for v in ["N/A", "n/a", "-", "none", "unknown", "TBC", "?"] {
            assert_eq!(
                suggest("Hosting", v).basis,
                Basis::NotKnown,
                "{v} means not known"
            );
        }
        // Where an option says exactly that, it is the option.
        assert_eq!(suggest("MfaCoverage", "None").option, Some("none"));
    }

    #[test]
    fn near_spellings_are_suggested_but_not_sure_enough_when_far() {
        let s = suggest("ServiceArea", "Libraires");
        assert_eq!((s.option, s.basis), (Some("esd:72"), Basis::Similar));
        assert_eq!(suggest("ServiceArea", "Zebra crossings").option, None);
    }

    #[test]
    fn a_resolver_prefers_what_was_given_and_caches() {
        let mut given = HashMap::new();
        given.insert(normalise("Team Alpha"), Some("esd:42".to_string()));
        given.insert(normalise("Waste"), None);
        let mut r = Resolver::new("ServiceArea", &given);
        assert_eq!(r.resolve("team alpha"), Resolution::Option("esd:42"));
        assert_eq!(r.resolve("Waste"), Resolution::Blank);
        assert_eq!(r.resolve("Libraries"), Resolution::Option("esd:72"));
        assert_eq!(r.resolve("TBC"), Resolution::NotKnown);
        assert_eq!(r.resolve("Zebra crossings"), Resolution::Unmapped);
        assert_eq!(r.labels().len(), 13);
    }
}
