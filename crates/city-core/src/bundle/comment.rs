//! The trusted comment: the signed one-line header of a bundle
//! (`ctb=1 org=… cycle=… seq=… id=… created=… qv=… enc=age`), written and parsed strictly.

use super::BundleError;
use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

const KEYS: [&str; 8] = ["ctb", "org", "cycle", "seq", "id", "created", "qv", "enc"];
/// The longest trusted comment accepted.
pub(crate) const MAX_LEN: usize = 512;

/// The facts the signature vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) format: u32,
    /// `scheme:code`.
    pub(crate) organisation: String,
    pub(crate) cycle: String,
    pub(crate) seq: u64,
    pub(crate) bundle_id: Uuid,
    pub(crate) created: DateTime<Utc>,
    pub(crate) questionnaire_version: String,
}

fn value_ok(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))
}

impl Header {
    /// The trusted-comment line.
    pub(crate) fn to_line(&self) -> Result<String, BundleError> {
        let values = [
            self.format.to_string(),
            self.organisation.clone(),
            self.cycle.clone(),
            self.seq.to_string(),
            self.bundle_id.to_string(),
            self.created.to_rfc3339_opts(SecondsFormat::Secs, true),
            self.questionnaire_version.clone(),
            "age".to_string(),
        ];
        if let Some(bad) = values.iter().find(|v| !value_ok(v)) {
            return Err(BundleError::Comment(format!(
                "'{bad}' cannot go in a signed header"
            )));
        }
        let line = KEYS
            .iter()
            .zip(values.iter())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        if line.len() > MAX_LEN {
            return Err(BundleError::Comment("it is longer than 512 bytes".into()));
        }
        Ok(line)
    }

    /// Parses a trusted comment: exactly the keys above, in order, nothing else.
    pub(crate) fn parse(line: &str) -> Result<Header, BundleError> {
        let bad = |m: String| BundleError::Comment(m);
        if line.len() > MAX_LEN {
            return Err(bad("it is longer than 512 bytes".into()));
        }
        if !line.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
            return Err(bad(
                "it contains characters other than printable ASCII".into()
            ));
        }
        let pairs: Vec<&str> = line.split(' ').collect();
        if pairs.len() != KEYS.len() {
            return Err(bad(format!(
                "expected {} fields, found {}",
                KEYS.len(),
                pairs.len()
            )));
        }
        let mut values = Vec::with_capacity(KEYS.len());
        for (pair, key) in pairs.iter().zip(KEYS) {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| bad(format!("'{pair}' is not key=value")))?;
            if k != key {
                return Err(bad(format!("expected '{key}' where '{k}' is")));
            }
            if !value_ok(v) {
                return Err(bad(format!("the value of '{k}' is not allowed")));
            }
            values.push(v);
        }
        let format: u32 = values[0]
            .parse()
            .map_err(|_| bad("ctb is not a number".into()))?;
        if format != super::FORMAT_VERSION {
            return Err(bad(format!(
                "bundle format {format} is not supported (this app reads format 1)"
            )));
        }
        if values[7] != "age" {
            return Err(bad(format!(
                "encryption '{}' is not accepted (only age)",
                values[7]
            )));
        }
        let seq: u64 = values[3]
            .parse()
            .map_err(|_| bad("seq is not a whole number".into()))?;
        if seq == 0 {
            return Err(bad("seq starts at 1".into()));
        }
        Ok(Header {
            format,
            organisation: values[1].to_string(),
            cycle: values[2].to_string(),
            seq,
            bundle_id: Uuid::parse_str(values[4]).map_err(|_| bad("id is not a UUID".into()))?,
            created: DateTime::parse_from_rfc3339(values[5])
                .map_err(|_| bad("created is not an RFC 3339 time".into()))?
                .with_timezone(&Utc),
            questionnaire_version: values[6].to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn header() -> Header {
        Header {
            format: 1,
            organisation: "gss:E09000007".into(),
            cycle: "2026-27".into(),
            seq: 3,
            bundle_id: Uuid::nil(),
            created: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            questionnaire_version: "2026.1".into(),
        }
    }

    #[test]
    fn round_trips() {
        let line = header().to_line().unwrap();
        assert_eq!(
            line,
            "ctb=1 org=gss:E09000007 cycle=2026-27 seq=3 id=00000000-0000-0000-0000-000000000000 created=2026-11-23T09:00:00Z qv=2026.1 enc=age"
        );
        assert_eq!(Header::parse(&line).unwrap(), header());
    }

    #[test]
    fn refuses_anything_unexpected() {
        let line = header().to_line().unwrap();
        for bad in [
            line.replace("ctb=1", "ctb=2"),
            line.replace("enc=age", "enc=none"),
            line.replace("seq=3", "seq=0"),
            line.replace(" qv=2026.1", ""),
            line.replace("org=", "organisation="),
            format!("{line} extra=1"),
            line.replace(' ', "\t"),
            line.replace("2026-27", "2026-27\r"),
            line.replace("Camden", "Cämden")
                .replace("E09000007", "E0900000ä"),
            format!("{line}{}", " ".repeat(600)),
            line.replace("seq=3 id", "id=x seq"),
        ] {
            assert!(Header::parse(&bad).is_err(), "{bad:?}");
        }
    }
}
