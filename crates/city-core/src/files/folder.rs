//! Writing a folder (the published site) safely: everything goes into a temporary folder beside the target
//! (same parent, so the same file system), whose files are synced; only then is an earlier
//! site moved aside, the new one renamed into place and the old one removed. A failure before
//! the swap removes the temporary folder and leaves an earlier site untouched; a failure of the
//! swap itself puts the earlier site back.

use std::path::{Path, PathBuf};

fn sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    path.with_file_name(format!(".{name}.{}.{tag}", std::process::id()))
}

fn sync_all(dir: &Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            sync_all(&e.path())?;
        } else {
            std::fs::File::open(e.path())?.sync_all()?;
        }
    }
    Ok(())
}

/// Runs `write` on a new temporary folder, then puts it at `out` in place of whatever folder
/// was there. `out` must be a folder (or not exist): a file there is refused untouched.
pub(crate) fn write_folder<E: From<std::io::Error>>(
    out: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    if out.exists() && !out.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} is a file, not a folder", out.display()),
        )
        .into());
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = sibling(out, "partial");
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    std::fs::create_dir(&tmp)?;
    let written = write(&tmp).and_then(|()| sync_all(&tmp).map_err(E::from));
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let old = sibling(out, "old");
    let had_old = out.exists();
    if had_old && let Err(e) = std::fs::rename(out, &old) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e.into());
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e.into());
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_site_leaves_the_old_one_and_no_temporary_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("index.html"), "old site").unwrap();
        let r: Result<(), std::io::Error> = write_folder(&out, |tmp| {
            std::fs::write(tmp.join("index.html"), "half a new")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(r.is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old site"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        write_folder::<std::io::Error>(&out, |tmp| {
            std::fs::write(tmp.join("index.html"), "new site")
        })
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new site"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_in_the_way_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::write(&out, "a file").unwrap();
        let r = write_folder::<std::io::Error>(&out, |_| Ok(()));
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "a file");
    }
}
