//! Writing files safely — the one atomic writer, for exports, keys, identities, bundles and
//! cycle packs alike: everything goes to a temporary file beside the target, which is synced
//! and renamed over it only when complete. A failed write leaves no partial file and an earlier
//! file at the same path untouched. Secret files are made readable by their owner only before
//! anything is written into them (`owner_only.rs`). A whole folder (the published site) is
//! written the same way: into a temporary folder beside it, swapped in when complete
//! (`folder.rs`).

mod folder;
mod owner_only;

pub(crate) use folder::write_folder;

use std::io::Write;
use std::path::{Path, PathBuf};

/// Who may read a file written by [`write_new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Readers {
    /// The usual permissions for a new file.
    Anyone,
    /// The owner alone (signing keys, age identities): mode 0600 on Unix, one owner-only
    /// access entry on Windows.
    OwnerOnly,
}

/// The temporary file used while writing `path`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Runs `write` on a temporary path, then moves the result to `path` (replacing any file
/// there). On any failure the temporary file is removed and `path` is left as it was.
pub(crate) fn write_via_temp<E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    let tmp = temp_path(path);
    // A temporary file left by a crash is not reused (its permissions could be wider).
    let _ = std::fs::remove_file(&tmp);
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

/// Writes `bytes` to a new file at `path`, readable by `readers`; refuses (`AlreadyExists`)
/// when a file is there already.
pub(crate) fn write_new(path: &Path, bytes: &[u8], readers: Readers) -> std::io::Result<()> {
    if path.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "already exists",
        ));
    }
    write_via_temp(path, |tmp| {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        if readers == Readers::OwnerOnly {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(tmp)?;
        if readers == Readers::OwnerOnly {
            // Windows: only the owner may read it, before the secret goes in (Unix: the mode).
            owner_only::restrict(tmp)?;
        }
        f.write_all(bytes)
    })
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

    #[test]
    fn a_new_file_is_not_written_over_an_old_one_and_a_secret_is_the_owners() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("camden.key");
        write_new(&path, b"secret", Readers::OwnerOnly).unwrap();
        let e = write_new(&path, b"other", Readers::Anyone).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
