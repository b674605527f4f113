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

/// No node, key or identifier (in the `u32` places below).
const NONE: u32 = u32::MAX;

/// A place (of a node, text or entity) as a `u32`: a national data set holds far fewer than four
/// billion supplier and product records.
fn place(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(NONE)
}

/// Texts met record after record, each distinct one kept once and named by a `u32`, so that
/// grouping compares and looks up small integers rather than text spread over the whole input.
#[derive(Default)]
struct Texts {
    ids: HashMap<String, u32>,
    texts: Vec<String>,
}

impl Texts {
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.ids.get(text) {
            return i;
        }
        let i = place(self.texts.len());
        self.texts.push(text.to_string());
        self.ids.insert(text.to_string(), i);
        i
    }
    fn get(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }
    fn text(&self, i: u32) -> &str {
        &self.texts[i as usize]
    }
}

/// Union-find over record nodes, each root remembering its identifiers (sorted, distinct
/// places in [`Kind::identifiers`]).
struct Groups {
    parent: Vec<usize>,
    ids: Vec<Vec<u32>>,
    how: Vec<BTreeSet<&'static str>>,
}

/// Whether two sorted lists share no element.
fn disjoint(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return false,
        }
    }
    true
}

impl Groups {
    fn new(ids: Vec<Vec<u32>>) -> Groups {
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
            && disjoint(&self.ids[ra], &self.ids[rb])
        {
            return;
        }
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[gone] = keep;
        let moved = std::mem::take(&mut self.ids[gone]);
        if !moved.is_empty() {
            let ids = &mut self.ids[keep];
            ids.extend(moved);
            ids.sort_unstable();
            ids.dedup();
        }
        let moved = std::mem::take(&mut self.how[gone]);
        self.how[keep].extend(moved);
        self.how[keep].insert(how);
    }
}

/// A record node: which organisation, which record, its spelling, keys and identifiers as
/// places in its [`Kind`]'s texts.
struct Node {
    org: usize,
    id: Uuid,
    /// Its name as the record spells it: a place in [`Kind::spellings`].
    name: u32,
    /// Its name's normalised key: a place in [`Kind::keys`].
    key: u32,
    /// Its listed aliases' keys (other than `key`): a range of [`Kind::alias_keys`].
    aliases: (u32, u32),
    /// Its Companies House number and PPON as `ch:…` and `ppon:…`, sorted: places in
    /// [`Kind::identifiers`] ([`NONE`] for none).
    ids: [u32; 2],
    /// A product's supplier: the place of that supplier record among the suppliers' nodes (the
    /// organisation's own record with that id), or [`NONE`].
    supplier: u32,
}

impl Node {
    fn keys<'k>(&self, kind: &'k Kind<'_>) -> impl Iterator<Item = u32> + 'k {
        let (a, b) = self.aliases;
        std::iter::once(self.key).chain(kind.alias_keys[a as usize..b as usize].iter().copied())
    }
    /// Its identifiers, sorted.
    fn identifiers(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.ids.iter().copied().filter(|i| *i != NONE).collect();
        v.sort_unstable();
        v
    }
}

/// The records of one kind (suppliers or products) gathered, and their texts interned.
#[derive(Default)]
struct Kind<'a> {
    nodes: Vec<Node>,
    /// Distinct spellings, borrowed from the input, with a place each.
    spelling_of: HashMap<&'a str, u32>,
    spellings: Vec<&'a str>,
    /// Per spelling: its normalised key (each spelling normalised once).
    spelling_key: Vec<u32>,
    keys: Texts,
    alias_keys: Vec<u32>,
    identifiers: Texts,
    /// Companies House numbers and PPONs as the records write them: their identifiers' places
    /// (each written form normalised once; [`NONE`] when it normalises to nothing).
    raw_ch: HashMap<&'a str, u32>,
    raw_ppon: HashMap<&'a str, u32>,
}

impl<'a> Kind<'a> {
    /// The spelling's place and its key's, normalising it with `normalise` when first met.
    fn spelling(&mut self, name: &'a str, normalise: fn(&str) -> String) -> (u32, u32) {
        if let Some(&s) = self.spelling_of.get(name) {
            return (s, self.spelling_key[s as usize]);
        }
        let s = place(self.spellings.len());
        let k = self.keys.intern(&normalise(name));
        self.spelling_of.insert(name, s);
        self.spellings.push(name);
        self.spelling_key.push(k);
        (s, k)
    }

    /// The place of the identifier `prefix` + `normalise(raw)`, normalising each written form
    /// once.
    fn identifier(
        &mut self,
        raw: &'a str,
        ppon: bool,
        normalise: fn(&str) -> Option<String>,
    ) -> u32 {
        let memo = if ppon { &self.raw_ppon } else { &self.raw_ch };
        if let Some(&i) = memo.get(raw) {
            return i;
        }
        let i = match normalise(raw) {
            Some(n) if ppon => self.identifiers.intern(&format!("ppon:{n}")),
            Some(n) => self.identifiers.intern(&format!("ch:{n}")),
            None => NONE,
        };
        if ppon {
            self.raw_ppon.insert(raw, i);
        } else {
            self.raw_ch.insert(raw, i);
        }
        i
    }
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
/// caller that walks the organisations itself. Each record's spellings and identifiers are
/// interned as it is added (while it is in the caches), so grouping reads only these compact
/// nodes, never the records again.
#[derive(Default)]
pub(crate) struct Nodes<'a> {
    suppliers: Kind<'a>,
    products: Kind<'a>,
    /// The organisation being added, and where its suppliers and products begin.
    org: Option<usize>,
    org_suppliers: usize,
    org_products: usize,
    /// A product's supplier id while its organisation is being added (parallel to its
    /// products' nodes from `org_products`).
    pending: Vec<Option<Uuid>>,
}

impl<'a> Nodes<'a> {
    /// Record `id` of organisation `oi` (its place in the input): kept if a supplier or product.
    pub(crate) fn add(&mut self, oi: usize, id: Uuid, r: &'a RecordData) {
        if self.org != Some(oi) {
            self.end_org();
            self.org = Some(oi);
        }
        match r {
            RecordData::Supplier(s) => {
                let k = &mut self.suppliers;
                let (name, key) = k.spelling(&s.name, names::supplier_key);
                let start = place(k.alias_keys.len());
                for a in &s.aliases {
                    let ak = names::supplier_key(a);
                    if ak.is_empty() {
                        continue;
                    }
                    let ak = k.keys.intern(&ak);
                    if ak != key && !k.alias_keys[start as usize..].contains(&ak) {
                        k.alias_keys.push(ak);
                    }
                }
                // The Companies House number's first, then the PPON's (as the record's set of
                // identifier texts, `ch:` before `ppon:`, iterates them).
                let ids = [
                    s.companies_house
                        .as_deref()
                        .map_or(NONE, |c| k.identifier(c, false, names::companies_house)),
                    s.ppon
                        .as_deref()
                        .map_or(NONE, |p| k.identifier(p, true, names::ppon)),
                ];
                k.nodes.push(Node {
                    org: oi,
                    id,
                    name,
                    key,
                    aliases: (start, place(k.alias_keys.len())),
                    ids,
                    supplier: NONE,
                });
            }
            RecordData::Product(p) => {
                let k = &mut self.products;
                let (name, key) = k.spelling(&p.name, names::product_key);
                let at = place(k.alias_keys.len());
                k.nodes.push(Node {
                    org: oi,
                    id,
                    name,
                    key,
                    aliases: (at, at),
                    ids: [NONE; 2],
                    supplier: NONE,
                });
                self.pending.push(p.supplier_id);
            }
            _ => {}
        }
    }

    /// The organisation being added is complete: its products' supplier ids become places of
    /// its supplier nodes (the last of its records with that id, as a lookup by id would find).
    fn end_org(&mut self) {
        if self.org.is_some() && self.pending.iter().any(Option::is_some) {
            let mine: HashMap<Uuid, u32> = (self.org_suppliers..self.suppliers.nodes.len())
                .map(|i| (self.suppliers.nodes[i].id, place(i)))
                .collect();
            for (n, sid) in self.products.nodes[self.org_products..]
                .iter_mut()
                .zip(&self.pending)
            {
                if let Some(s) = sid.and_then(|sid| mine.get(&sid)) {
                    n.supplier = *s;
                }
            }
        }
        self.pending.clear();
        self.org_suppliers = self.suppliers.nodes.len();
        self.org_products = self.products.nodes.len();
    }

    /// The records gathered grouped into suppliers and products (`orgs`: the input).
    pub(crate) fn resolve(
        mut self,
        orgs: &[OrgReturn],
        rules: &[AliasRule],
        detail: Detail,
    ) -> Resolution {
        self.end_org();
        let (suppliers, supplier_of, supplier_entity) = group(
            orgs,
            &self.suppliers,
            AliasKind::Supplier,
            rules,
            None,
            detail,
        );
        let (products, product_of, _) = group(
            orgs,
            &self.products,
            AliasKind::Product,
            rules,
            Some((&suppliers, &supplier_entity)),
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
/// The entities, their lookups, and each node's entity.
type Grouped = (Vec<Entity>, Lookup, Vec<usize>);

fn group(
    orgs: &[OrgReturn],
    kind_nodes: &Kind<'_>,
    kind: AliasKind,
    rules: &[AliasRule],
    suppliers: Option<(&[Entity], &[usize])>,
    detail: Detail,
) -> Grouped {
    let nodes = &kind_nodes.nodes;
    // 1. Identifiers: each node joined with the first node carrying the same one. The joins
    // are listed first and made once the sets are the groups' own.
    let mut joins: Vec<(usize, usize)> = Vec::new();
    {
        let mut first = vec![NONE; kind_nodes.identifiers.texts.len()];
        for (i, n) in nodes.iter().enumerate() {
            for id in n.ids.iter().filter(|id| **id != NONE) {
                match first[*id as usize] {
                    NONE => first[*id as usize] = place(i),
                    j => joins.push((i, j as usize)),
                }
            }
        }
    }
    let mut g = Groups::new(nodes.iter().map(Node::identifiers).collect());
    for (i, j) in joins {
        g.union(i, j, "identifier", true);
    }
    // 2. Names (the record's own first, then listed aliases): each key's first node.
    let mut by_name = vec![NONE; kind_nodes.keys.texts.len()];
    for (i, n) in nodes.iter().enumerate() {
        for (k, key) in n.keys(kind_nodes).enumerate() {
            match by_name[key as usize] {
                NONE => by_name[key as usize] = place(i),
                j => g.union(
                    i,
                    j as usize,
                    if k == 0 { "name" } else { "listed alias" },
                    false,
                ),
            }
        }
    }
    // 3. Aliases an analyst confirmed.
    let first_with = |text: &str| {
        kind_nodes
            .keys
            .get(text)
            .map(|k| by_name[k as usize])
            .filter(|n| *n != NONE)
            .map(|n| n as usize)
    };
    for r in rules.iter().filter(|r| r.kind == kind && r.confirmed) {
        if let (Some(a), Some(b)) = (first_with(&r.a), first_with(&r.b)) {
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
    let spelling = |s: u32| kind_nodes.spellings[s as usize];
    let mut counts: Vec<(u32, usize)> = Vec::new();
    for (root, members) in roots {
        // Each distinct spelling's count (spellings as places; their text read once each).
        counts.clear();
        counts.extend(members.iter().map(|&m| (nodes[m].name, 1)));
        counts.sort_unstable();
        counts.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 += b.1;
            }
            same
        });
        // The most common spelling, preferring one not written in capitals throughout (each
        // spelling judged once).
        let shouting = |n: &str| n.chars().any(char::is_alphabetic) && n == n.to_uppercase();
        let name = counts
            .iter()
            .map(|(s, c)| (spelling(*s), *c))
            .map(|(n, c)| (n, c, !shouting(n)))
            .max_by(|a, b| (a.2, a.1).cmp(&(b.2, b.1)).then(b.0.cmp(a.0)))
            .map(|(n, _, _)| n.to_string())
            .unwrap_or_default();
        let mut set: Vec<&str> = g.ids[root]
            .iter()
            .map(|i| kind_nodes.identifiers.text(*i))
            .collect();
        set.sort_unstable();
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
        let supplier_key = suppliers.and_then(|(ents, entity_of_supplier)| {
            let mut c: BTreeMap<&str, usize> = BTreeMap::new();
            for &m in &members {
                if let Some(&e) = entity_of_supplier.get(nodes[m].supplier as usize) {
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
                spellings.insert(spelling(n.name));
                ms.push(EntityMember {
                    organisation: orgs[n.org].organisation.clone(),
                    record_id: n.id,
                    name: spelling(n.name).to_string(),
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
    for (n, e) in nodes.iter().zip(&entity_of) {
        of[n.org].insert(n.id, *e);
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
    (entities, of, entity_of)
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
