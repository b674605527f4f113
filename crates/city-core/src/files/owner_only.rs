//! Secret files (signing keys, age identities) readable by their owner only, on every platform.
//!
//! On Unix the file is created with mode 0600 (`files::write_new`). On Windows, where modes do
//! not exist, the new file's access list is replaced, before any secret is written into it, by
//! one entry granting the current user full control (`icacls /inheritance:r /grant:r`), the
//! tool every Windows has; no unsafe code and no Windows API binding is needed. If that fails,
//! nothing is written and the error says plainly that the file could not be protected.

use std::ffi::OsString;
use std::path::Path;

/// The `icacls` arguments that leave `path` readable and writable by `user` (`DOMAIN\name`)
/// alone: inherited entries removed, every other grant replaced.
#[cfg_attr(not(windows), allow(dead_code))]
pub(crate) fn icacls_args(path: &Path, user: &str) -> Vec<OsString> {
    vec![
        path.as_os_str().to_owned(),
        "/inheritance:r".into(),
        "/grant:r".into(),
        format!("{user}:F").into(),
        "/Q".into(),
    ]
}

/// The current Windows user as `icacls` names them: `USERDOMAIN\USERNAME`, or the bare name.
#[cfg_attr(not(windows), allow(dead_code))]
pub(crate) fn windows_user(domain: Option<String>, name: Option<String>) -> Option<String> {
    let name = name.filter(|n| !n.trim().is_empty())?;
    Some(match domain.filter(|d| !d.trim().is_empty()) {
        Some(d) => format!("{d}\\{name}"),
        None => name,
    })
}

/// Makes the (still empty) file at `path` readable by the current user only.
#[cfg(windows)]
pub(crate) fn restrict(path: &Path) -> std::io::Result<()> {
    let refuse = |why: String| {
        std::io::Error::other(format!(
            "could not make the file readable by you alone ({why}), so no secret was written to it"
        ))
    };
    let user = windows_user(
        std::env::var("USERDOMAIN").ok(),
        std::env::var("USERNAME").ok(),
    )
    .ok_or_else(|| refuse("USERNAME is not set".into()))?;
    let out = std::process::Command::new("icacls")
        .args(icacls_args(path, &user))
        .output()
        .map_err(|e| refuse(format!("icacls could not run: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(refuse(format!(
            "icacls said: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

/// On Unix the mode given when the file is created protects it already.
#[cfg(not(windows))]
pub(crate) fn restrict(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icacls_grants_the_user_alone() {
        let args = icacls_args(Path::new(r"C:\Users\a\keys\camden.key"), r"LBC\a.smith");
        let args: Vec<String> = args
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                r"C:\Users\a\keys\camden.key",
                "/inheritance:r",
                "/grant:r",
                r"LBC\a.smith:F",
                "/Q"
            ]
        );
    }

    #[test]
    fn the_windows_user_is_domain_and_name() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(windows_user(s("LBC"), s("asmith")), s(r"LBC\asmith"));
        assert_eq!(windows_user(None, s("asmith")), s("asmith"));
        assert_eq!(windows_user(s(""), s("asmith")), s("asmith"));
        assert_eq!(windows_user(s("LBC"), None), None);
        assert_eq!(windows_user(s("LBC"), s(" ")), None);
    }
}
