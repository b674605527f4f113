//! Readiness then and now: each CAF contributing outcome (the organisation's own A and D
//! answers with its systems' B and C answers, as the readiness heatmap counts them) and each
//! ICO accountability category improved, the same or worse; Cyber Essentials and PSN gained,
//! kept or lapsed, held meaning in date on each cycle's reference date by the readiness view's
//! own rule ([`certificate_states`]).

use super::{CertificateMove, ChangeKind, Movement, ProgressChange, Scope};
use crate::analysis::OrgReturn;
use crate::analysis::readiness::{ReadinessOptions, certificate_states};
use crate::domain::caf::CafOutcome;
use crate::domain::enums::{CafRating, IcoCategory, IcoRating};
use crate::domain::records::{CyberReadiness, GdprReadiness, RecordData};
use crate::domain::values::IsoDate;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// One organisation's readiness movement.
#[derive(Debug, Clone, Copy)]
pub(super) struct OrgReadiness {
    pub(super) caf: Movement,
    pub(super) ico: Movement,
    pub(super) ce: CertificateMove,
    pub(super) psn: CertificateMove,
}

fn caf_points(r: CafRating) -> u32 {
    match r {
        CafRating::NotAchieved => 0,
        CafRating::Partial => 1,
        CafRating::Achieved => 2,
    }
}

/// Per outcome: (points, ratings) over the return's cyber answers and systems.
fn caf_tally(o: &OrgReturn) -> BTreeMap<CafOutcome, (u32, u32)> {
    let mut t: BTreeMap<CafOutcome, (u32, u32)> = BTreeMap::new();
    for (_, r) in &o.records {
        let caf = match r {
            RecordData::Cyber(c) => &c.caf,
            RecordData::System(s) => &s.caf,
            _ => continue,
        };
        for (k, v) in caf {
            let e = t.entry(*k).or_default();
            e.0 += caf_points(*v);
            e.1 += 1;
        }
    }
    t
}

fn caf_text((points, n): (u32, u32)) -> String {
    if n == 1 {
        let r = match points {
            0 => CafRating::NotAchieved,
            1 => CafRating::Partial,
            _ => CafRating::Achieved,
        };
        r.label().to_string()
    } else {
        format!(
            "{:.0}% across {n} ratings",
            f64::from(points) * 50.0 / f64::from(n)
        )
    }
}

fn ico_rank(r: Option<IcoRating>) -> Option<u32> {
    match r? {
        IcoRating::NotImplemented => Some(0),
        IcoRating::Partial => Some(1),
        IcoRating::Implemented => Some(2),
        IcoRating::NotApplicable => None,
    }
}

fn count(m: &mut Movement, o: Option<Ordering>) {
    match o {
        Some(Ordering::Greater) => m.improved += 1,
        Some(Ordering::Equal) => m.same += 1,
        Some(Ordering::Less) => m.worse += 1,
        None => m.not_compared += 1,
    }
}

fn parts(o: &OrgReturn) -> (Option<&CyberReadiness>, Option<&GdprReadiness>) {
    let (mut cyber, mut gdpr) = (None, None);
    for (_, r) in &o.records {
        match r {
            RecordData::Cyber(c) => cyber = Some(c),
            RecordData::Gdpr(g) => gdpr = Some(g),
            _ => {}
        }
    }
    (cyber, gdpr)
}

fn held(cyber: Option<&CyberReadiness>, date: IsoDate) -> (bool, bool) {
    let ((ce, _), (psn, _)) = certificate_states(cyber, &ReadinessOptions::as_of(date));
    (ce.held(), psn.held())
}

fn movement(then: bool, now: bool) -> CertificateMove {
    match (then, now) {
        (true, true) => CertificateMove::Kept,
        (false, true) => CertificateMove::Gained,
        (true, false) => CertificateMove::Lapsed,
        (false, false) => CertificateMove::NotHeld,
    }
}

/// Readiness movement of organisation `i` (in both cycles); changes pushed to `out` (CAF ones
/// only with sensitive detail).
pub(super) fn compare(p: &Scope<'_>, i: usize, out: &mut Vec<ProgressChange>) -> OrgReadiness {
    let (now, then) = (&p.to[i], &p.from[i]);
    let (c_then, g_then) = parts(then);
    let (c_now, g_now) = parts(now);
    let mut caf = Movement::default();
    let (t_then, t_now) = (caf_tally(then), caf_tally(now));
    for o in CafOutcome::ALL {
        let (a, b) = (t_then.get(o).copied(), t_now.get(o).copied());
        let ord = match (a, b) {
            (Some(a), Some(b)) => Some((b.0 * a.1).cmp(&(a.0 * b.1))),
            (None, None) => continue,
            _ => None,
        };
        count(&mut caf, ord);
        if let (true, Some(ord @ (Ordering::Greater | Ordering::Less)), Some(a), Some(b)) =
            (p.include_sensitive, ord, a, b)
        {
            let kind = if ord == Ordering::Greater {
                ChangeKind::CafImproved
            } else {
                ChangeKind::CafWorse
            };
            out.push(p.change(
                i,
                kind,
                o.label(),
                None,
                Some(caf_text(a)),
                Some(caf_text(b)),
            ));
        }
    }
    let mut ico = Movement::default();
    for c in IcoCategory::ALL {
        let a = g_then.and_then(|g| g.ratings.get(c).copied());
        let b = g_now.and_then(|g| g.ratings.get(c).copied());
        if a.is_none() && b.is_none() {
            continue;
        }
        let ord = match (ico_rank(a), ico_rank(b)) {
            (Some(x), Some(y)) => Some(y.cmp(&x)),
            _ => None,
        };
        count(&mut ico, ord);
        if let Some(ord @ (Ordering::Greater | Ordering::Less)) = ord {
            let kind = if ord == Ordering::Greater {
                ChangeKind::IcoImproved
            } else {
                ChangeKind::IcoWorse
            };
            out.push(p.change(
                i,
                kind,
                c.label(),
                None,
                a.map(|r| r.label().to_string()),
                b.map(|r| r.label().to_string()),
            ));
        }
    }
    let (ce_a, psn_a) = held(c_then, p.from_ref);
    let (ce_b, psn_b) = held(c_now, p.to_ref);
    let (ce, psn) = (movement(ce_a, ce_b), movement(psn_a, psn_b));
    let word = |h: bool| if h { "held" } else { "not held" }.to_string();
    for (m, gained, lapsed, name) in [
        (
            ce,
            ChangeKind::CeGained,
            ChangeKind::CeLapsed,
            "Cyber Essentials",
        ),
        (psn, ChangeKind::PsnGained, ChangeKind::PsnLapsed, "PSN"),
    ] {
        let (kind, now) = match m {
            CertificateMove::Gained => (gained, true),
            CertificateMove::Lapsed => (lapsed, false),
            _ => continue,
        };
        out.push(p.change(i, kind, name, None, Some(word(!now)), Some(word(now))));
    }
    OrgReadiness { caf, ico, ce, psn }
}
