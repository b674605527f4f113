//! The connection to publish to: a URL (`postgres://user@host:5432/db`) or a libpq `key=value`
//! string, with what it leaves out taken from the usual environment variables (`PGHOST`,
//! `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGAPPNAME`, `PGCONNECT_TIMEOUT`,
//! `PGSSLMODE`), as libpq does. Without a host, the local socket folder (Debian's
//! `/var/run/postgresql`) when it exists, else `localhost`. The connection is not encrypted
//! (`sslmode=require` is refused): publish over a local socket, a private network or a tunnel.

use super::PgError;
use postgres::Config;
use postgres::config::{Host, SslMode};
use std::time::Duration;

/// The application name a publication's connection carries (seen in `pg_stat_activity`).
pub(crate) const APPLICATION_NAME: &str = "city-tools publish";

/// The connection's configuration from `url` (if given) over the environment `env`.
pub(crate) fn config(url: Option<&str>, env: &[(String, String)]) -> Result<Config, PgError> {
    let var = |k: &str| {
        env.iter()
            .find(|(n, v)| n == k && !v.is_empty())
            .map(|(_, v)| v.as_str())
    };
    let mut c = match url {
        Some(u) => u.parse::<Config>().map_err(|e| {
            PgError::Config(format!(
                "the database URL could not be read ({e}); use postgres://user@host:5432/database"
            ))
        })?,
        None => Config::new(),
    };
    if c.get_hosts().is_empty() {
        match var("PGHOST") {
            Some(h) => {
                for h in h.split(',') {
                    c.host(h);
                }
            }
            None if std::path::Path::new("/var/run/postgresql").is_dir() => {
                c.host("/var/run/postgresql");
            }
            None => {
                c.host("localhost");
            }
        }
    }
    if c.get_ports().is_empty()
        && let Some(p) = var("PGPORT")
    {
        let port = p
            .parse::<u16>()
            .map_err(|_| PgError::Config(format!("PGPORT '{p}' is not a port number")))?;
        c.port(port);
    }
    if c.get_user().is_none()
        && let Some(u) = var("PGUSER")
    {
        c.user(u);
    }
    if c.get_password().is_none()
        && let Some(p) = var("PGPASSWORD")
    {
        c.password(p);
    }
    if c.get_dbname().is_none()
        && let Some(d) = var("PGDATABASE")
    {
        c.dbname(d);
    }
    if c.get_application_name().is_none() {
        c.application_name(var("PGAPPNAME").unwrap_or(APPLICATION_NAME));
    }
    if c.get_connect_timeout().is_none() {
        let secs = match var("PGCONNECT_TIMEOUT") {
            Some(t) => t.parse::<u64>().map_err(|_| {
                PgError::Config(format!(
                    "PGCONNECT_TIMEOUT '{t}' is not a number of seconds"
                ))
            })?,
            None => 10,
        };
        c.connect_timeout(Duration::from_secs(secs));
    }
    if url.is_none() || c.get_ssl_mode() == SslMode::Prefer {
        match var("PGSSLMODE") {
            Some("disable") => {
                c.ssl_mode(SslMode::Disable);
            }
            Some("allow" | "prefer") | None => {}
            Some(m) => {
                return Err(PgError::Config(format!(
                    "sslmode {m}: City Tools publishes without TLS; use a local socket, a private network or a tunnel"
                )));
            }
        }
    }
    if c.get_ssl_mode() == SslMode::Require {
        return Err(PgError::Config(
            "sslmode require: City Tools publishes without TLS; use a local socket, a private network or a tunnel".into(),
        ));
    }
    Ok(c)
}

/// `user@host:port/database`, for messages (never the password).
pub(crate) fn describe(c: &Config) -> String {
    let host = match c.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432);
    let user = c.get_user().unwrap_or("(your user)");
    let db = c.get_dbname().unwrap_or(user);
    format!("{user}@{host}:{port}/{db}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn the_url_wins_over_the_environment_which_fills_the_rest() {
        let e = env(&[
            ("PGHOST", "db.internal"),
            ("PGPORT", "6543"),
            ("PGUSER", "loti"),
            ("PGDATABASE", "landscape"),
        ]);
        let c = config(Some("postgres://ana@pg.example:5433"), &e).unwrap();
        assert_eq!(describe(&c), "ana@pg.example:5433/landscape");
        let c = config(None, &e).unwrap();
        assert_eq!(describe(&c), "loti@db.internal:6543/landscape");
        assert_eq!(c.get_application_name(), Some(APPLICATION_NAME));
        let c = config(Some("host=/tmp/pg port=5999 user=postgres dbname=x"), &[]).unwrap();
        assert_eq!(describe(&c), "postgres@/tmp/pg:5999/x");
    }

    #[test]
    fn tls_and_bad_values_are_refused() {
        assert!(config(Some("postgres://a@b/c?sslmode=require"), &[]).is_err());
        assert!(config(None, &env(&[("PGSSLMODE", "verify-full")])).is_err());
        assert!(config(None, &env(&[("PGPORT", "lots")])).is_err());
        assert!(config(Some("postgres://a@b:notaport/c"), &[]).is_err());
    }
}
