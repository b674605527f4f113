//! `CHANGELOG.md` (Keep a Changelog) as a Debian changelog, for the packages' changelog file.
//! Pure text in, text out, so it is tested without building anything.
//!
//! Each dated `## [X.Y.Z] - YYYY-MM-DD` section becomes one entry, newest first; the
//! `[Unreleased]` items are listed in the entry of the version being built (which must have a
//! dated section: a release is dated in the changelog before it is packaged).

/// The package's name, the maintainer line and the version being built.
pub(crate) struct Package<'a> {
    pub(crate) name: &'a str,
    pub(crate) maintainer: &'a str,
    pub(crate) version: &'a str,
}

struct Section {
    version: String,
    date: Option<String>,
    items: Vec<String>,
}

fn sections(markdown: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut heading = String::new();
    for line in markdown.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            let (v, rest) = match h.trim().strip_prefix('[').and_then(|r| r.split_once(']')) {
                Some((v, rest)) => (v.to_string(), rest),
                None => (h.trim().to_string(), ""),
            };
            let date = rest
                .trim()
                .trim_start_matches(['-', '–'])
                .trim()
                .to_string();
            out.push(Section {
                version: v,
                date: (!date.is_empty()).then_some(date),
                items: Vec::new(),
            });
            heading.clear();
        } else if let Some(h) = line.strip_prefix("### ") {
            heading = h.trim().to_string();
        } else if let Some(section) = out.last_mut() {
            if let Some(item) = line.strip_prefix("- ") {
                let item = item.trim();
                section.items.push(if heading.is_empty() {
                    item.to_string()
                } else {
                    format!("{heading}: {item}")
                });
            } else if line.starts_with("  ")
                && !line.trim().is_empty()
                && let Some(last) = section.items.last_mut()
            {
                last.push(' ');
                last.push_str(line.trim());
            }
        }
    }
    out
}

/// `2026-12-04` → `Fri, 04 Dec 2026 12:00:00 +0000` (RFC 2822, as Debian wants).
fn rfc2822(date: &str) -> Option<String> {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Sakamoto's day of the week (0 = Sunday).
    const T: [i64; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let yy = if m < 3 { y - 1 } else { y };
    let dow = (yy + yy / 4 - yy / 100 + yy / 400 + T[(m - 1) as usize] + d) % 7;
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    Some(format!(
        "{}, {d:02} {} {y} 12:00:00 +0000",
        days[dow as usize],
        months[(m - 1) as usize]
    ))
}

/// Wraps `text` as a Debian changelog item: `  * ` then lines of at most 80 columns.
fn item(text: &str) -> String {
    let mut out = String::from("  *");
    let mut width = 3;
    for word in text.split_whitespace() {
        if width + 1 + word.len() > 80 && width > 4 {
            out.push_str("\n   ");
            width = 3;
        }
        out.push(' ');
        out.push_str(word);
        width += 1 + word.len();
    }
    out.push('\n');
    out
}

/// The Debian changelog for `pkg` from `CHANGELOG.md`'s text.
pub(crate) fn debian(markdown: &str, pkg: &Package) -> Result<String, String> {
    let all = sections(markdown);
    let unreleased: Vec<String> = all
        .iter()
        .filter(|s| s.version.eq_ignore_ascii_case("unreleased"))
        .flat_map(|s| s.items.clone())
        .collect();
    if !all
        .iter()
        .any(|s| s.version == pkg.version && s.date.is_some())
    {
        return Err(format!(
            "CHANGELOG.md has no dated section for version {} (## [{}] - YYYY-MM-DD)",
            pkg.version, pkg.version
        ));
    }
    let mut out = String::new();
    for s in all.iter().filter(|s| s.date.is_some()) {
        let date = s.date.as_deref().unwrap_or_default();
        let when = rfc2822(date)
            .ok_or_else(|| format!("CHANGELOG.md: {}: bad date {date:?}", s.version))?;
        let mut items = Vec::new();
        if s.version == pkg.version {
            items.extend(unreleased.iter().cloned());
        }
        items.extend(s.items.iter().cloned());
        if items.is_empty() {
            items.push(format!("Release {}.", s.version));
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!(
            "{} ({}) unstable; urgency=medium\n\n",
            pkg.name, s.version
        ));
        for i in &items {
            out.push_str(&item(i));
        }
        out.push_str(&format!("\n -- {}  {when}\n", pkg.maintainer));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PKG: Package = Package {
        name: "city-tools",
        maintainer: "City Tools <maint@example.org>",
        version: "0.2.0",
    };

    const MD: &str = "# Changelog\n\nintro\n\n## [Unreleased]\n\n### Added\n- About screen,\n  with the commit.\n\n## [0.2.0] - 2026-12-04\n\n### Fixed\n- A bug.\n\n## [0.1.0] - 2024-02-29\n\n- First.\n";

    #[test]
    fn each_dated_release_is_an_entry_with_unreleased_items_in_the_built_one() {
        let d = debian(MD, &PKG).unwrap();
        assert_eq!(
            d,
            "city-tools (0.2.0) unstable; urgency=medium\n\n  * Added: About screen, with the commit.\n  * Fixed: A bug.\n\n -- City Tools <maint@example.org>  Fri, 04 Dec 2026 12:00:00 +0000\n\ncity-tools (0.1.0) unstable; urgency=medium\n\n  * First.\n\n -- City Tools <maint@example.org>  Thu, 29 Feb 2024 12:00:00 +0000\n"
        );
    }

    #[test]
    fn the_built_version_must_be_dated() {
        let pkg = Package {
            version: "0.3.0",
            ..PKG
        };
        assert!(debian(MD, &pkg).unwrap_err().contains("0.3.0"));
    }

    #[test]
    fn long_items_wrap_at_80_columns() {
        let long = "word ".repeat(40);
        let wrapped = item(&long);
        assert!(wrapped.lines().count() > 1);
        assert!(wrapped.lines().all(|l| l.len() <= 80), "{wrapped}");
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("    ")));
    }

    #[test]
    fn dates_carry_their_weekday() {
        assert_eq!(
            rfc2822("2026-01-01").unwrap(),
            "Thu, 01 Jan 2026 12:00:00 +0000"
        );
        assert_eq!(rfc2822("2026-13-01"), None);
    }
}
