//! Skills sharing: where one organisation rates a capability high (or offers support) and
//! another rates it low (or wants support), a pair to introduce, ranked by how far apart the
//! two are and whether they said they would give or want help.

use super::Index;
use crate::domain::enums::{SkillArea, SkillLevel};
use crate::domain::records::RecordData;
use serde::{Deserialize, Serialize};

/// A peer-support introduction.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SkillPair {
    /// 1 = the strongest match.
    pub rank: usize,
    pub area: SkillArea,
    pub provider: String,
    pub provider_name: String,
    pub provider_level: Option<SkillLevel>,
    pub provider_offers: bool,
    pub seeker: String,
    pub seeker_name: String,
    pub seeker_level: Option<SkillLevel>,
    pub seeker_wants: bool,
    /// 10 per level between them, plus 5 for an offer and 5 for a request.
    pub score: u32,
    pub reason: String,
}

/// Options for skills pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct SkillOptions {
    /// Levels between provider and seeker (default 2: e.g. practitioner and awareness).
    pub min_gap: u32,
    pub area: Option<SkillArea>,
}

impl Default for SkillOptions {
    fn default() -> Self {
        SkillOptions {
            min_gap: 2,
            area: None,
        }
    }
}

pub(crate) fn rank(l: Option<SkillLevel>) -> u32 {
    match l {
        Some(SkillLevel::NoCapability) | None => 0,
        Some(SkillLevel::Awareness) => 1,
        Some(SkillLevel::Working) => 2,
        Some(SkillLevel::Practitioner) => 3,
        Some(SkillLevel::Expert) => 4,
    }
}

struct Rated {
    org: usize,
    area: SkillArea,
    level: Option<SkillLevel>,
    offers: bool,
    wants: bool,
}

pub(crate) fn pairs(ix: &Index<'_>, o: &SkillOptions) -> Vec<SkillPair> {
    let mut rated = Vec::new();
    for (oi, org) in ix.orgs.iter().enumerate() {
        for (_, r) in &org.records {
            if let RecordData::Skill(s) = r
                && let Some(area) = s.area
                && o.area.is_none_or(|a| a == area)
            {
                rated.push(Rated {
                    org: oi,
                    area,
                    level: s.level,
                    offers: s.can_offer_support == Some(true),
                    wants: s.wants_support == Some(true),
                });
            }
        }
    }
    let mut out = Vec::new();
    for p in &rated {
        let provides = rank(p.level) >= 3 || (p.offers && rank(p.level) >= 2);
        if !provides {
            continue;
        }
        for s in rated.iter().filter(|s| s.area == p.area && s.org != p.org) {
            let seeks = rank(s.level) <= 1 || s.wants;
            let gap = rank(p.level).saturating_sub(rank(s.level));
            if !seeks || gap < o.min_gap.max(1) {
                continue;
            }
            let score = gap * 10 + if p.offers { 5 } else { 0 } + if s.wants { 5 } else { 0 };
            let (po, so) = (&ix.orgs[p.org], &ix.orgs[s.org]);
            let lvl = |l: Option<SkillLevel>| l.map_or("not rated", |l| l.label());
            let reason = format!(
                "{} rates {} as {}{}; {} rates it {}{}",
                po.name,
                p.area.label().to_lowercase(),
                lvl(p.level).to_lowercase(),
                if p.offers { " and offers support" } else { "" },
                so.name,
                lvl(s.level).to_lowercase(),
                if s.wants { " and wants support" } else { "" },
            );
            out.push(SkillPair {
                rank: 0,
                area: p.area,
                provider: po.organisation.clone(),
                provider_name: po.name.clone(),
                provider_level: p.level,
                provider_offers: p.offers,
                seeker: so.organisation.clone(),
                seeker_name: so.name.clone(),
                seeker_level: s.level,
                seeker_wants: s.wants,
                score,
                reason,
            });
        }
    }
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.area.cmp(&b.area))
            .then(a.provider.cmp(&b.provider))
            .then(a.seeker.cmp(&b.seeker))
    });
    for (i, p) in out.iter_mut().enumerate() {
        p.rank = i + 1;
    }
    out
}
