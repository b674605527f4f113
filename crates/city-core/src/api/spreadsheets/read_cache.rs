//! The last spreadsheet parsed, kept so that the steps of one import — inspect, dry run,
//! commit, error report — parse an unchanged file once. The file is read each time (cheap) and
//! the kept workbook used only if its bytes are exactly those parsed before; a commit drops
//! it. One per thread: the CLI calls the steps in turn on one thread; the app may use several,
//! which only costs a second parse.

use crate::import::workbook::Workbook;
use std::cell::RefCell;
use std::rc::Rc;

struct Entry {
    /// The file's name: a CSV file's one sheet is named after it.
    name: String,
    bytes: Vec<u8>,
    workbook: Rc<Workbook>,
}

thread_local! {
    static LAST: RefCell<Option<Entry>> = const { RefCell::new(None) };
}

/// The workbook parsed last from exactly these bytes under this name, if any.
pub(super) fn get(name: &str, bytes: &[u8]) -> Option<Rc<Workbook>> {
    LAST.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|e| e.name == name && e.bytes == bytes)
            .map(|e| e.workbook.clone())
    })
}

/// Keeps `workbook` as the one parsed from `bytes`.
pub(super) fn put(name: String, bytes: Vec<u8>, workbook: Rc<Workbook>) {
    LAST.with(|l| {
        *l.borrow_mut() = Some(Entry {
            name,
            bytes,
            workbook,
        });
    });
}

/// Drops the workbook kept (after a commit: its memory is the register's size).
pub(super) fn forget() {
    LAST.with(|l| *l.borrow_mut() = None);
}
