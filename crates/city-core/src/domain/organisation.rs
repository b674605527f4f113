//! Organisations: the 33 London local authorities with their ONS GSS codes, and any other
//! organisation identified by scheme and code (for example the GLA).

use std::fmt;

/// The 33 London local authorities: GSS code and ONS name.
pub(crate) const LONDON_AUTHORITIES: [(&str, &str); 33] = [
    ("E09000001", "City of London"),
    ("E09000002", "Barking and Dagenham"),
    ("E09000003", "Barnet"),
    ("E09000004", "Bexley"),
    ("E09000005", "Brent"),
    ("E09000006", "Bromley"),
    ("E09000007", "Camden"),
    ("E09000008", "Croydon"),
    ("E09000009", "Ealing"),
    ("E09000010", "Enfield"),
    ("E09000011", "Greenwich"),
    ("E09000012", "Hackney"),
    ("E09000013", "Hammersmith and Fulham"),
    ("E09000014", "Haringey"),
    ("E09000015", "Harrow"),
    ("E09000016", "Havering"),
    ("E09000017", "Hillingdon"),
    ("E09000018", "Hounslow"),
    ("E09000019", "Islington"),
    ("E09000020", "Kensington and Chelsea"),
    ("E09000021", "Kingston upon Thames"),
    ("E09000022", "Lambeth"),
    ("E09000023", "Lewisham"),
    ("E09000024", "Merton"),
    ("E09000025", "Newham"),
    ("E09000026", "Redbridge"),
    ("E09000027", "Richmond upon Thames"),
    ("E09000028", "Southwark"),
    ("E09000029", "Sutton"),
    ("E09000030", "Tower Hamlets"),
    ("E09000031", "Waltham Forest"),
    ("E09000032", "Wandsworth"),
    ("E09000033", "Westminster"),
];

/// An organisation that makes returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Organisation {
    pub scheme: String,
    pub code: String,
    pub name: String,
}

impl Organisation {
    /// The stable id, `scheme:code`, e.g. `gss:E09000007`.
    pub(crate) fn id(&self) -> String {
        format!("{}:{}", self.scheme, self.code)
    }

    /// Every London authority, in GSS order.
    pub(crate) fn london() -> impl Iterator<Item = Organisation> {
        LONDON_AUTHORITIES.iter().map(|(code, name)| Organisation {
            scheme: "gss".into(),
            code: (*code).into(),
            name: (*name).into(),
        })
    }

    /// Resolves `E09000007`, `gss:E09000007` or `scheme:code` (with a name for an organisation
    /// that is not one of the 33) to an organisation.
    pub(crate) fn resolve(
        input: &str,
        name: Option<&str>,
    ) -> Result<Organisation, OrganisationError> {
        let input = input.trim();
        let (scheme, code) = match input.split_once(':') {
            Some((s, c)) => (s.trim().to_ascii_lowercase(), c.trim().to_string()),
            None => ("gss".to_string(), input.to_string()),
        };
        if scheme.is_empty()
            || !scheme
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(OrganisationError::BadScheme(scheme));
        }
        if code.is_empty()
            || code.len() > 40
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(OrganisationError::BadCode(input.to_string()));
        }
        let code = if scheme == "gss" {
            code.to_ascii_uppercase()
        } else {
            code
        };
        if scheme == "gss" {
            if let Some((_, known)) = LONDON_AUTHORITIES.iter().find(|(c, _)| *c == code) {
                return Ok(Organisation {
                    scheme,
                    code,
                    name: name.map_or_else(|| (*known).to_string(), |n| n.trim().to_string()),
                });
            }
            let well_formed = code.len() == 9
                && code.starts_with('E')
                && code[1..].chars().all(|c| c.is_ascii_digit());
            if !well_formed {
                return Err(OrganisationError::BadCode(input.to_string()));
            }
        }
        match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => Ok(Organisation {
                scheme,
                code,
                name: n.to_string(),
            }),
            None => Err(OrganisationError::Unknown(format!("{scheme}:{code}"))),
        }
    }
}

impl fmt::Display for Organisation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.id())
    }
}

/// Why an organisation could not be resolved.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum OrganisationError {
    #[error(
        "unknown organisation code '{0}': use a London GSS code E09000001–E09000033, or give a name to add another organisation"
    )]
    Unknown(String),
    #[error("organisation code '{0}' is not valid (expected e.g. E09000007 or scheme:code)")]
    BadCode(String),
    #[error("organisation scheme '{0}' is not valid (use lower-case letters, digits and '-')")]
    BadScheme(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_33_london_codes_are_consecutive_and_unique() {
        for (i, (code, name)) in LONDON_AUTHORITIES.iter().enumerate() {
            assert_eq!(*code, format!("E090000{:02}", i + 1));
            assert!(!name.is_empty());
        }
    }

    #[test]
    fn resolves_bare_and_prefixed_gss_codes() {
        let camden = Organisation::resolve("E09000007", None).unwrap();
        assert_eq!(camden.name, "Camden");
        assert_eq!(camden.id(), "gss:E09000007");
        assert_eq!(
            Organisation::resolve("gss:e09000007", None).unwrap(),
            camden
        );
    }

    #[test]
    fn unknown_codes_need_a_name_and_bad_codes_are_refused() {
        assert!(matches!(
            Organisation::resolve("E09000099", None),
            Err(OrganisationError::Unknown(_))
        ));
        assert_eq!(
            Organisation::resolve("gb-lae:GLA", Some("Greater London Authority"))
                .unwrap()
                .id(),
            "gb-lae:GLA"
        );
        assert!(matches!(
            Organisation::resolve("X123", None),
            Err(OrganisationError::BadCode(_))
        ));
        assert!(matches!(
            Organisation::resolve("Bad Scheme:1", Some("x")),
            Err(OrganisationError::BadScheme(_))
        ));
    }
}
