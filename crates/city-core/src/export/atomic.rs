//! Writing an export file safely: everything goes to a temporary file beside the target, which
//! is synced and renamed over it only when complete. A failed export leaves no partial file and
//! an earlier file at the same path untouched.

use std::path::{Path, PathBuf};

/// The temporary file used while writing `path`.
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Runs `write` on a temporary path, then moves the result to `path`. On any failure the
/// temporary file is removed and `path` is left as it was.
pub(crate) fn write_via_temp<E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    let tmp = temp_path(path);
    let result = write(&tmp).and_then(|()| {
        std::fs::File::open(&tmp).and_then(|f| f.sync_all())?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.xlsx");
        std::fs::write(&path, b"old report").unwrap();
        let r: Result<(), std::io::Error> = write_via_temp(&path, |tmp| {
            std::fs::write(tmp, b"half a rep")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old report");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        write_via_temp::<std::io::Error>(&path, |tmp| std::fs::write(tmp, b"new report")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new report");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
