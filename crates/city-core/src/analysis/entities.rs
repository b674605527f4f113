//! Which supplier and product records, reported by different organisations under their own
//! ids and spellings, are the same company or product. Records meet on an identifier
//! (Companies House number, PPON), on a normalised name (or one of the supplier's listed
//! aliases), or on an alias an analyst confirmed; near misses become suggestions unless an
//! analyst rejected them. Never joins two companies whose identifiers disagree on the strength
//! of a name alone.

use super::names;
use super::{AliasKind, AliasRule, OrgReturn};
use crate::domain::records::RecordData;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;

/// Suggestions score at least this (0–1) to be shown.
pub(crate) const SUGGESTION_THRESHOLD: f64 = 0.8;

/// One organisation's record that belongs to an entity.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EntityMember {
    pub organisation: String,
    pub record_id: Uuid,
    /// The name as the organisation spelled it.
    pub name: String,
}

/// A supplier or product as the analysis sees it: every organisation's record of it together.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Entity {
    /// Stable key: `ch:01628868`, `ppon:PMZV-7732-XXTT` or `name:civica` (suppliers),
    /// `product:civica app` (products).
    pub key: String,
    pub kind: AliasKind,
    /// The spelling most organisations use.
    pub name: String,
    pub companies_house: Vec<String>,
    pub ppon: Vec<String>,
    /// Every distinct spelling seen.
    pub spellings: Vec<String>,
    /// Organisations (`gss:E09000007`) that reported it.
    pub organisations: Vec<String>,
    pub members: Vec<EntityMember>,
    /// Why the records were put together: `identifier`, `name`, `listed alias`, `confirmed alias`.
    pub matched_by: Vec<String>,
    /// Products only: the manufacturer's entity key, where the records name one.
    pub supplier_key: Option<String>,
}

/// A pair of entities whose names are alike enough for an analyst to look at.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AliasSuggestion {
    /// Stable id of the pair (the same in every cycle): pass it to confirm or reject.
    pub id: String,
    pub kind: AliasKind,
    pub a_key: String,
    pub a_name: String,
    pub b_key: String,
    pub b_name: String,
    /// The two normalised spellings compared.
    pub a_normalised: String,
    pub b_normalised: String,
    /// 0 to 1.
    pub score: f64,
    pub a_organisations: usize,
    pub b_organisations: usize,
}

/// Union-find over record nodes, each root remembering its identifiers.
struct Groups {
    parent: Vec<usize>,
    ids: Vec<BTreeSet<String>>,
    how: Vec<BTreeSet<&'static str>>,
}

impl Groups {
    fn new(ids: Vec<BTreeSet<String>>) -> Groups {
        let n = ids.len();
        Groups {
            parent: (0..n).collect(),
            ids,
            how: vec![BTreeSet::new(); n],
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    /// Joins two groups. Unless `force`, refuses when both carry identifiers and share none.
    fn union(&mut self, a: usize, b: usize, how: &'static str, force: bool) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            self.how[ra].insert(how);
            return;
        }
        if !force
            && !self.ids[ra].is_empty()
            && !self.ids[rb].is_empty()
            && self.ids[ra].is_disjoint(&self.ids[rb])
        {
            return;
        }
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[gone] = keep;
        let moved = std::mem::take(&mut self.ids[gone]);
        self.ids[keep].extend(moved);
        let moved = std::mem::take(&mut self.how[gone]);
        self.how[keep].extend(moved);
        self.how[keep].insert(how);
    }
}

/// A record node: which organisation, which record, its spellings' keys.
struct Node<'a> {
    org: usize,
    id: Uuid,
    /// The name as the record spells it (borrowed from the input).
    name: &'a str,
    keys: Vec<String>,
    ch: Option<String>,
    ppon: Option<String>,
    supplier_id: Option<Uuid>,
}

/// Resolved suppliers and products, with a lookup per organisation (its place in the input)
/// from record id to entity.
pub(crate) struct Resolution {
    pub(crate) suppliers: Vec<Entity>,
    pub(crate) products: Vec<Entity>,
    pub(crate) supplier_of: Lookup,
    pub(crate) product_of: Lookup,
}

/// What a resolution keeps of each entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Everything: members, spellings and organisations too (the views that list them).
    Full,
    /// Key, name, identifiers, how matched and a product's supplier key, with no members,
    /// spellings or organisations (the progress analysis reads only keys and names): the same
    /// grouping, keys and names as [`Detail::Full`], without a copy of every record's name and
    /// organisation.
    Grouping,
}

#[cfg(test)]
pub(crate) fn resolve(orgs: &[OrgReturn], rules: &[AliasRule]) -> Resolution {
    resolve_with(orgs, rules, Detail::Full, |_, _, _| {})
}

/// Resolves suppliers and products, keeping `detail`, with `each` called with every record
/// (organisation, id, record) on the one walk through the input it makes.
pub(crate) fn resolve_with<'a>(
    orgs: &'a [OrgReturn],
    rules: &[AliasRule],
    detail: Detail,
    mut each: impl FnMut(usize, Uuid, &'a RecordData),
) -> Resolution {
    let mut nodes = Nodes::default();
    for (oi, o) in orgs.iter().enumerate() {
        for (id, r) in &o.records {
            each(oi, *id, r);
            nodes.add(oi, *id, r);
        }
    }
    nodes.resolve(orgs, rules, detail)
}

/// The supplier and product records to resolve, gathered record by record (in organisation
/// order, each organisation's in its own order), then grouped by [`Nodes::resolve`]: for a
/// caller that walks the organisations itself.
#[derive(Default)]
pub(crate) struct Nodes<'a> {
    suppliers: Vec<Node<'a>>,
    products: Vec<Node<'a>>,
}

impl<'a> Nodes<'a> {
    /// Record `id` of organisation `oi` (its place in the input): kept if a supplier or product.
    pub(crate) fn add(&mut self, oi: usize, id: Uuid, r: &'a RecordData) {
        match r {
            RecordData::Supplier(s) => {
                let mut keys = vec![names::supplier_key(&s.name)];
                for a in &s.aliases {
                    let k = names::supplier_key(a);
                    if !k.is_empty() && !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                self.suppliers.push(Node {
                    org: oi,
                    id,
                    name: &s.name,
                    keys,
                    ch: s
                        .companies_house
                        .as_deref()
                        .and_then(names::companies_house),
                    ppon: s.ppon.as_deref().and_then(names::ppon),
                    supplier_id: None,
                });
            }
            RecordData::Product(p) => self.products.push(Node {
                org: oi,
                id,
                name: &p.name,
                keys: vec![names::product_key(&p.name)],
                ch: None,
                ppon: None,
                supplier_id: p.supplier_id,
            }),
            _ => {}
        }
    }

    /// The records gathered grouped into suppliers and products (`orgs`: the input).
    pub(crate) fn resolve(
        self,
        orgs: &[OrgReturn],
        rules: &[AliasRule],
        detail: Detail,
    ) -> Resolution {
        let (suppliers, supplier_of) = group(
            orgs,
            &self.suppliers,
            AliasKind::Supplier,
            rules,
            None,
            detail,
        );
        let (products, product_of) = group(
            orgs,
            &self.products,
            AliasKind::Product,
            rules,
            Some((&suppliers, &supplier_of)),
            detail,
        );
        Resolution {
            suppliers,
            products,
            supplier_of,
            product_of,
        }
    }
}

/// Alias suggestions for the resolved suppliers and products, best first. Computed only when a
/// view shows them: views that do not must not pay for the pairwise comparison.
pub(crate) fn suggestions(res: &Resolution, rules: &[AliasRule]) -> Vec<AliasSuggestion> {
    let mut out = suggest(&res.suppliers, AliasKind::Supplier, rules);
    out.extend(suggest(&res.products, AliasKind::Product, rules));
    out
}

/// Which entity each record belongs to: one small map per organisation (its place in the
/// input), so that lookups stay within the organisation's own records.
pub(crate) type Lookup = Vec<HashMap<Uuid, usize>>;
type Grouped = (Vec<Entity>, Lookup);

fn group(
    orgs: &[OrgReturn],
    nodes: &[Node<'_>],
    kind: AliasKind,
    rules: &[AliasRule],
    suppliers: Option<(&[Entity], &Lookup)>,
    detail: Detail,
) -> Grouped {
    let ids: Vec<BTreeSet<String>> = nodes
        .iter()
        .map(|n| {
            let mut s = BTreeSet::new();
            if let Some(c) = &n.ch {
                s.insert(format!("ch:{c}"));
            }
            if let Some(p) = &n.ppon {
                s.insert(format!("ppon:{p}"));
            }
            s
        })
        .collect();
    // 1. Identifiers. (Lookups only: hash maps, which at national size cost less than
    // ordered maps comparing text spread over the whole data set.) The joins are listed first
    // and made in the same order once the sets are the groups' own (no copy of every set).
    let mut joins: Vec<(usize, usize)> = Vec::new();
    {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, set) in ids.iter().enumerate() {
            for id in set {
                match first.get(id.as_str()) {
                    Some(&j) => joins.push((i, j)),
                    None => {
                        first.insert(id, i);
                    }
                }
            }
        }
    }
    let mut g = Groups::new(ids);
    for (i, j) in joins {
        g.union(i, j, "identifier", true);
    }
    // 2. Names (the record's own first, then listed aliases).
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        for (k, key) in n.keys.iter().enumerate() {
            match by_name.get(key.as_str()) {
                Some(&j) => g.union(i, j, if k == 0 { "name" } else { "listed alias" }, false),
                None => {
                    by_name.insert(key, i);
                }
            }
        }
    }
    // 3. Aliases an analyst confirmed.
    for r in rules.iter().filter(|r| r.kind == kind && r.confirmed) {
        if let (Some(&a), Some(&b)) = (by_name.get(r.a.as_str()), by_name.get(r.b.as_str())) {
            g.union(a, b, "confirmed alias", true);
        }
    }
    // Collect the groups in a stable order (by first node: a group's root is its first node,
    // as `union` keeps the smaller root).
    let mut by_root: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for i in 0..nodes.len() {
        let r = g.find(i);
        by_root[r].push(i);
    }
    let roots = by_root
        .into_iter()
        .enumerate()
        .filter(|(_, m)| !m.is_empty());
    let mut entities = Vec::new();
    // Each node's entity, filled group by group; the lookups are filled from it afterwards in
    // the nodes' order (organisation by organisation), so each organisation's map is written
    // while it is in the caches rather than a member at a time, all over London.
    let mut entity_of = vec![0usize; nodes.len()];
    for (root, members) in roots {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for &m in &members {
            *counts.entry(nodes[m].name).or_default() += 1;
        }
        // The most common spelling, preferring one not written in capitals throughout (each
        // spelling judged once).
        let shouting = |n: &str| n.chars().any(char::is_alphabetic) && n == n.to_uppercase();
        let name = counts
            .iter()
            .map(|(n, c)| (*n, *c, !shouting(n)))
            .max_by(|a, b| (a.2, a.1).cmp(&(b.2, b.1)).then(b.0.cmp(a.0)))
            .map(|(n, _, _)| n.to_string())
            .unwrap_or_default();
        let set = &g.ids[root];
        let ch: Vec<String> = set
            .iter()
            .filter_map(|s| s.strip_prefix("ch:").map(str::to_string))
            .collect();
        let ppon: Vec<String> = set
            .iter()
            .filter_map(|s| s.strip_prefix("ppon:").map(str::to_string))
            .collect();
        let key = match kind {
            AliasKind::Product => format!("product:{}", names::product_key(&name)),
            AliasKind::Supplier => match (ch.first(), ppon.first()) {
                (Some(c), _) => format!("ch:{c}"),
                (None, Some(p)) => format!("ppon:{p}"),
                _ => format!("name:{}", names::supplier_key(&name)),
            },
        };
        let supplier_key = suppliers.and_then(|(ents, lookup)| {
            let mut c: BTreeMap<&str, usize> = BTreeMap::new();
            for &m in &members {
                if let Some(sid) = nodes[m].supplier_id
                    && let Some(&e) = lookup[nodes[m].org].get(&sid)
                {
                    *c.entry(ents[e].key.as_str()).or_default() += 1;
                }
            }
            c.into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(k, _)| k.to_string())
        });
        let idx = entities.len();
        // Distinct organisations and spellings, copied once each.
        let mut organisations: BTreeSet<&str> = BTreeSet::new();
        let mut spellings: BTreeSet<&str> = BTreeSet::new();
        let mut ms = Vec::new();
        for &m in &members {
            let n = &nodes[m];
            entity_of[m] = idx;
            if detail == Detail::Full {
                organisations.insert(&orgs[n.org].organisation);
                spellings.insert(n.name);
                ms.push(EntityMember {
                    organisation: orgs[n.org].organisation.clone(),
                    record_id: n.id,
                    name: n.name.to_string(),
                });
            }
        }
        entities.push(Entity {
            key,
            kind,
            name,
            companies_house: ch,
            ppon,
            spellings: spellings.into_iter().map(str::to_string).collect(),
            organisations: organisations.into_iter().map(str::to_string).collect(),
            members: ms,
            matched_by: g.how[root].iter().map(|s| (*s).to_string()).collect(),
            supplier_key,
        });
    }
    let mut per_org = vec![0usize; orgs.len()];
    for n in nodes {
        per_org[n.org] += 1;
    }
    let mut of: Lookup = per_org.into_iter().map(HashMap::with_capacity).collect();
    for (n, e) in nodes.iter().zip(entity_of) {
        of[n.org].insert(n.id, e);
    }
    // Two groups may share a key (same name, different identifiers): keep keys unique.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for e in &mut entities {
        let n = seen.entry(e.key.clone()).or_default();
        *n += 1;
        if *n > 1 {
            e.key = format!("{}#{}", e.key, n);
        }
    }
    (entities, of)
}

fn normalised_spellings(e: &Entity) -> BTreeSet<String> {
    e.spellings
        .iter()
        .map(|s| match e.kind {
            AliasKind::Supplier => names::supplier_key(s),
            AliasKind::Product => names::product_key(s),
        })
        .collect()
}

/// Pairs of entities `(i, j)`, `i < j`, in ascending order, that share the first word of at
/// least one normalised spelling: the only pairs [`names::similarity`] can score above 0, so
/// comparing just these (blocking by first word) finds every suggestion the all-pairs
/// comparison would, in time that grows with the pairs inside each block rather than with the
/// square of all entities.
fn candidate_pairs(spellings: &[BTreeSet<String>]) -> Vec<(usize, usize)> {
    let mut blocks: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, set) in spellings.iter().enumerate() {
        let firsts: BTreeSet<&str> = set.iter().map(|s| names::first_word(s)).collect();
        for f in firsts {
            blocks.entry(f).or_default().push(i);
        }
    }
    let mut pairs = Vec::new();
    for members in blocks.values() {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                pairs.push((i, j));
            }
        }
    }
    // An entity pair sharing two first words appears once per block: keep it once, in the
    // order the all-pairs loop visits it (ties in the final sort keep that order).
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

fn suggest(entities: &[Entity], kind: AliasKind, rules: &[AliasRule]) -> Vec<AliasSuggestion> {
    let spellings: Vec<BTreeSet<String>> = entities.iter().map(normalised_spellings).collect();
    let pairs = candidate_pairs(&spellings);
    suggest_pairs(entities, &spellings, pairs, kind, rules)
}

/// Scores the given entity pairs; those at or above the threshold, not rejected and not two
/// different Companies House numbers, become suggestions, best first.
fn suggest_pairs(
    entities: &[Entity],
    spellings: &[BTreeSet<String>],
    pairs: impl IntoIterator<Item = (usize, usize)>,
    kind: AliasKind,
    rules: &[AliasRule],
) -> Vec<AliasSuggestion> {
    let rejected: BTreeSet<(&str, &str)> = rules
        .iter()
        .filter(|r| r.kind == kind && !r.confirmed)
        .flat_map(|r| [(r.a.as_str(), r.b.as_str()), (r.b.as_str(), r.a.as_str())])
        .collect();
    let mut out = Vec::new();
    for (i, j) in pairs {
        let (a, b) = (&entities[i], &entities[j]);
        if !a.companies_house.is_empty()
            && !b.companies_house.is_empty()
            && a.companies_house != b.companies_house
        {
            continue;
        }
        let mut best: Option<(f64, &str, &str)> = None;
        for x in &spellings[i] {
            for y in &spellings[j] {
                let s = names::similarity(x, y);
                if best.is_none_or(|(bs, _, _)| s > bs) {
                    best = Some((s, x, y));
                }
            }
        }
        let Some((score, x, y)) = best else { continue };
        if score < SUGGESTION_THRESHOLD {
            continue;
        }
        let any_rejected = spellings[i].iter().any(|x| {
            spellings[j]
                .iter()
                .any(|y| rejected.contains(&(x.as_str(), y.as_str())))
        });
        if !any_rejected {
            out.push(AliasSuggestion {
                id: names::pair_id(kind.id(), x, y),
                kind,
                a_key: a.key.clone(),
                a_name: a.name.clone(),
                b_key: b.key.clone(),
                b_name: b.name.clone(),
                a_normalised: x.to_string(),
                b_normalised: y.to_string(),
                score: (score * 1000.0).round() / 1000.0,
                a_organisations: a.organisations.len(),
                b_organisations: b.organisations.len(),
            });
        }
    }
    out.sort_by(|p, q| q.score.total_cmp(&p.score).then(p.id.cmp(&q.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{id, org, rec};
    use super::*;
    use crate::domain::enums::RecordKind::Supplier as S;
    use serde_json::json;

    fn key_of(r: &Resolution, org: usize, n: u128) -> &str {
        &r.suppliers[r.supplier_of[org][&id(n)]].key
    }

    #[test]
    fn identifiers_join_and_names_never_join_two_identifiers() {
        let orgs = vec![
            org(
                "E09000001",
                vec![
                    (
                        id(1),
                        rec(S, json!({"name": "Acme Ltd", "companies_house": "1234567"})),
                    ),
                    (
                        id(2),
                        rec(
                            S,
                            json!({"name": "Totally Different", "companies_house": "07654321"}),
                        ),
                    ),
                ],
            ),
            org(
                "E09000002",
                vec![
                    (
                        id(3),
                        rec(
                            S,
                            json!({"name": "ACME LIMITED", "companies_house": "01234567"}),
                        ),
                    ),
                    (
                        id(4),
                        rec(S, json!({"name": "Acme", "companies_house": "09999999"})),
                    ),
                    (id(5), rec(S, json!({"name": "Acme UK"}))),
                    (
                        id(6),
                        rec(
                            S,
                            json!({"name": "Other name", "companies_house": "07654321"}),
                        ),
                    ),
                ],
            ),
        ];
        let r = resolve(&orgs, &[]);
        assert_eq!(key_of(&r, 0, 1), "ch:01234567");
        assert_eq!(key_of(&r, 1, 3), "ch:01234567");
        assert_eq!(
            key_of(&r, 1, 5),
            "ch:01234567",
            "no identifier: joins by name"
        );
        assert_eq!(
            key_of(&r, 1, 4),
            "ch:09999999",
            "a different number stays apart"
        );
        assert_eq!(
            key_of(&r, 0, 2),
            key_of(&r, 1, 6),
            "same number, different names"
        );
        assert_eq!(r.suppliers.len(), 3);
        // Different Companies House numbers are never suggested, however alike the names.
        let sug = suggestions(&r, &[]);
        assert!(sug.is_empty(), "{sug:?}");
    }

    #[test]
    fn listed_aliases_join_and_decisions_confirm_or_silence() {
        let orgs = vec![
            org(
                "E09000001",
                vec![(
                    id(1),
                    rec(
                        S,
                        json!({"name": "Northgate Public Services", "aliases": ["NPS Ltd"]}),
                    ),
                )],
            ),
            org(
                "E09000002",
                vec![
                    (id(2), rec(S, json!({"name": "NPS"}))),
                    (id(3), rec(S, json!({"name": "Northgate Pubic Services"}))),
                ],
            ),
        ];
        let r = resolve(&orgs, &[]);
        assert_eq!(
            key_of(&r, 0, 1),
            key_of(&r, 1, 2),
            "joined by the listed alias"
        );
        let sug = suggestions(&r, &[]);
        assert_eq!(sug.len(), 1);
        let s = &sug[0];
        assert_eq!(
            (s.a_normalised.as_str(), s.b_normalised.as_str()),
            ("northgate public services", "northgate pubic services")
        );
        let rule = |confirmed| AliasRule {
            kind: AliasKind::Supplier,
            a: "northgate pubic services".into(),
            b: "northgate public services".into(),
            confirmed,
        };
        let r = resolve(&orgs, &[rule(true)]);
        let sug = suggestions(&r, &[rule(true)]);
        assert_eq!(r.suppliers.len(), 1);
        assert!(
            r.suppliers[0]
                .matched_by
                .contains(&"confirmed alias".to_string())
        );
        assert!(sug.is_empty());
        let r = resolve(&orgs, &[rule(false)]);
        let sug = suggestions(&r, &[rule(false)]);
        assert_eq!(r.suppliers.len(), 2);
        assert!(sug.is_empty(), "a rejected pair is not suggested again");
    }

    /// The suggestions of the all-pairs comparison (the rule before blocking), for comparison.
    fn all_pairs(res: &Resolution, rules: &[AliasRule]) -> Vec<AliasSuggestion> {
        let mut out = Vec::new();
        for (ents, kind) in [
            (&res.suppliers, AliasKind::Supplier),
            (&res.products, AliasKind::Product),
        ] {
            let sp: Vec<BTreeSet<String>> = ents.iter().map(normalised_spellings).collect();
            let n = ents.len();
            let pairs = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j)));
            out.extend(suggest_pairs(ents, &sp, pairs, kind, rules));
        }
        out
    }

    #[test]
    fn blocking_by_first_word_suggests_exactly_what_all_pairs_did_on_london() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/london/returns.json"
        );
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut orgs = Vec::new();
        for o in v["organisations"].as_array().unwrap() {
            let records = o["records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let kind =
                        crate::domain::enums::RecordKind::from_id(r["kind"].as_str().unwrap())
                            .unwrap();
                    let id = Uuid::parse_str(r["id"].as_str().unwrap()).unwrap();
                    (id, rec(kind, r["data"].clone()))
                })
                .collect();
            orgs.push(org(
                o["organisation"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("gss:"),
                records,
            ));
        }
        let r = resolve(&orgs, &[]);
        let got = suggestions(&r, &[]);
        assert!(!got.is_empty(), "the London data plants a near miss");
        assert_eq!(got, all_pairs(&r, &[]));
    }

    #[test]
    fn blocking_by_first_word_suggests_exactly_what_all_pairs_did_on_many_near_misses() {
        // Many names sharing a few first words, typos, listed aliases under another first word,
        // clashing Companies House numbers, duplicate names and a rejected pair.
        let firsts = ["northgate", "civica", "capita", "capital", "idox", "nec"];
        let seconds = [
            "public services",
            "pubic services",
            "software",
            "softwre",
            "uk",
        ];
        let mut orgs = Vec::new();
        let mut n = 0u128;
        for o in 0..4u128 {
            let mut records = Vec::new();
            for (fi, f) in firsts.iter().enumerate() {
                for (si, sec) in seconds.iter().enumerate() {
                    n += 1;
                    let mut data =
                        json!({"name": format!("{f} {sec} {}", (fi + si + o as usize) % 3)});
                    if (fi + si) % 4 == 0 {
                        data["companies_house"] = json!(format!("{:08}", 1000 + fi * 10 + si));
                    }
                    if si == 2 {
                        data["aliases"] = json!([format!(
                            "{} {sec} {}",
                            firsts[(fi + 1) % 6],
                            (fi + 1 + si + o as usize) % 3
                        )]);
                    }
                    records.push((id(n), rec(S, data.clone())));
                    n += 1;
                    let product = json!({"name": format!("{f} {sec} app {}", o % 2), "supplier_id": id(n - 1).to_string()});
                    records.push((
                        id(n),
                        rec(crate::domain::enums::RecordKind::Product, product),
                    ));
                }
            }
            orgs.push(org(&format!("E0900000{o}"), records));
        }
        let rules = [AliasRule {
            kind: AliasKind::Supplier,
            a: "northgate public services 0".into(),
            b: "northgate pubic services 0".into(),
            confirmed: false,
        }];
        let r = resolve(&orgs, &rules);
        let got = suggestions(&r, &rules);
        assert!(got.len() > 20, "{}", got.len());
        assert!(got.iter().any(|s| s.kind == AliasKind::Product));
        assert_eq!(got, all_pairs(&r, &rules));
    }
}
