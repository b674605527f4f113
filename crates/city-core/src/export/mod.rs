//! xlsx, CSV and JSON writers.

pub(crate) mod error_report;
pub(crate) mod template;
