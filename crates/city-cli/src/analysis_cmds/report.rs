//! `city analysis report`: every view at once (JSON for the committee workbook).

use super::{DateArgs, Global, readiness_options};
use crate::Failure;
use crate::output::{json, say_line};
use city_core::api::WindowOptions;

/// Every view at once: JSON, or a one-line summary.
pub(super) fn report(
    g: &Global,
    window_months: u32,
    dates: &DateArgs,
    as_of: Option<&str>,
    within_days: u32,
    full: bool,
) -> Result<(), Failure> {
    let w = WindowOptions {
        decision: dates.options(),
        window_months,
        ..WindowOptions::default()
    };
    let r = readiness_options(as_of, within_days, full, g.ctx)?;
    let report = g.source()?.report(&w, &r)?;
    if g.as_json {
        json(&report);
    } else {
        say_line(&format!(
            "{}: {} organisations, {} shared products, {} contracts, {} windows, {} skills pairs, {} alias suggestions (use --json for everything)",
            report.cycle,
            report.organisations,
            report.shared_products.len(),
            report.decisions.len(),
            report.windows.len(),
            report.skills.len(),
            report.suggestions.len()
        ));
    }
    Ok(())
}
