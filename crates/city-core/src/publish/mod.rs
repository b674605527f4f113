//! LOTI's published site: a static, self-contained folder of HTML, CSS, JavaScript and data
//! made from a cycle's returns and their analysis, for boroughs, suppliers and partners. It
//! works from `file://` and from any static web server and makes no request outside its folder
//! (every page's Content-Security-Policy allows its own folder only; the stylesheet and script
//! are copied in from `assets/`, the data is in the pages).
//!
//! - `pages`: the pages (overview, systems, shared products, suppliers, skills, readiness,
//!   the procurement pipeline, downloads) and their frame with the protective marking.
//! - `html`: escaping, sortable tables with filter values on each row, filters, SVG charts.
//! - `pipeline`: which contracts and joint windows fall within the next 36 months.
//! - `planning`: the pipeline as OCDS 1.1 planning releases.
//!
//! The whole folder is written beside the target and swapped in at the end
//! (`files::write_folder`).
//!
//! What each audience may see is `export::profile`'s decision, reused here: the CSV downloads
//! are the CSV export's files for the profile, the readiness page is the export's readiness
//! table for the profile, and nothing on the other pages comes from a sensitive field.

mod html;
mod pages;
mod pipeline;
mod planning;
pub(crate) mod postgres;

use crate::api::{Analysis, AnalysisReport, Progress, SharedProduct};
use crate::domain::enums::RecordKind;
use crate::domain::values::IsoDate;
use crate::export::{self, Dataset, ExportError, ExportProfile};
use std::path::Path;

/// The stylesheet (GOV.UK-like, hand-written: GOV.UK Frontend's compiled CSS asks for its
/// fonts by absolute URL, a request outside the folder).
const SITE_CSS: &str = include_str!("assets/site.css");
/// Sorting, filters and re-drawn charts.
const SITE_JS: &str = include_str!("assets/site.js");

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PublishError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Export(#[from] ExportError),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

/// Everything the site is made from.
pub(crate) struct SiteInput<'a> {
    pub(crate) ds: &'a Dataset,
    pub(crate) analysis: &'a Analysis,
    pub(crate) report: &'a AnalysisReport,
    pub(crate) shared: &'a [SharedProduct],
    pub(crate) profile: ExportProfile,
    /// When the site was made, `2026-11-23T09:00:00Z`.
    pub(crate) published: String,
    /// The same, for people: `23 November 2026`.
    pub(crate) made_on: String,
}

/// What was written.
pub(crate) struct SiteWritten {
    /// Page file names, in navigation order.
    pub(crate) pages: Vec<String>,
    /// Download file names (under `data/`) with their rows or releases.
    pub(crate) downloads: Vec<(String, usize)>,
    pub(crate) pipeline_contracts: usize,
    pub(crate) pipeline_windows: usize,
}

/// Writes the site to the folder `out`, replacing an earlier site there only once the new one
/// is complete.
pub(crate) fn write_site(
    out: &Path,
    input: &SiteInput<'_>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SiteWritten, PublishError> {
    let today = IsoDate(input.ds.today);
    let pipe = pipeline::pipeline(input.report, today);
    let kinds: Vec<RecordKind> = RecordKind::ALL.to_vec();
    let total = (kinds.len() + 3 + pages::PAGES.len()) as u64;
    let mut done = 0u64;
    let mut step = |stage: String, progress: &mut dyn FnMut(&Progress)| {
        progress(&Progress { stage, done, total });
        done += 1;
    };
    let mut written = SiteWritten {
        pages: Vec::new(),
        downloads: Vec::new(),
        pipeline_contracts: pipe.contracts.len(),
        pipeline_windows: pipe.windows.len(),
    };
    crate::files::write_folder(out, |dir| {
        let data = dir.join("data");
        let assets = dir.join("assets");
        std::fs::create_dir(&data)?;
        std::fs::create_dir(&assets)?;
        std::fs::write(assets.join("site.css"), SITE_CSS)?;
        std::fs::write(assets.join("site.js"), SITE_JS)?;
        for k in kinds.iter().map(|k| Some(*k)).chain([None]) {
            let path = export::csv_file_name(&data, k);
            let name = file_name(&path);
            step(format!("Writing data/{name}"), progress);
            let rows = export::write_csv(&path, input.ds, k, input.profile)?;
            written.downloads.push((name, rows));
        }
        step("Writing data/contracts-ocds.json".into(), progress);
        let n = export::write_ocds(
            &data.join("contracts-ocds.json"),
            input.ds,
            &input.published,
        )?;
        written.downloads.push(("contracts-ocds.json".into(), n));
        step("Writing data/pipeline-ocds.json".into(), progress);
        let (package, n) = planning::planning_package(input.ds, &pipe, &input.published);
        let mut bytes = serde_json::to_vec_pretty(&package)?;
        bytes.push(b'\n');
        std::fs::write(data.join("pipeline-ocds.json"), bytes)?;
        written.downloads.push(("pipeline-ocds.json".into(), n));
        let site = pages::Site::new(input, &pipe, &written.downloads);
        for page in &pages::PAGES {
            step(format!("Writing {}", page.file), progress);
            std::fs::write(dir.join(page.file), site.render(page))?;
            written.pages.push(page.file.to_string());
        }
        Ok::<(), PublishError>(())
    })?;
    step("Site written".into(), progress);
    Ok(written)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
