//! The domain: pure types and rules of the annual return, with no I/O. Everything else in the
//! crate builds on this module; it depends on nothing else in the crate.

pub(crate) mod caf;
pub(crate) mod compact_json;
pub(crate) mod completeness;
pub(crate) mod cycle;
pub(crate) mod enums;
pub(crate) mod organisation;
pub(crate) mod questionnaire;
pub(crate) mod records;
pub(crate) mod struct_fields;
pub(crate) mod values;
