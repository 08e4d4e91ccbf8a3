//! The rules of the two versioned slug registries, firearm types and core KPIs: a snake_case
//! slug, a name and a description, `retired`, and a version every change is compared against.
//! One set of rules; each kind keeps its own error codes (`firearms.*`, `kpis.*`/`core_kpis.*`).

use crate::error::{RegistryError as E, Result};
use godconfig_manifest::diagnostic::did_you_mean;

/// An entry's slug and whether it is retired: what a change that uses an entry (a scope gated
/// with a firearm type, a metric mapped onto a core KPI) is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryState<'a> {
    pub slug: &'a str,
    pub retired: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    FirearmType,
    CoreKpi,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::FirearmType => "firearm type",
            Kind::CoreKpi => "core KPI",
        }
    }

    /// What a failed read of the whole registry was doing.
    pub fn reading(self) -> &'static str {
        match self {
            Kind::FirearmType => "reading firearm types",
            Kind::CoreKpi => "reading core KPIs",
        }
    }

    /// What a failed write of one entry was doing.
    pub fn changing(self) -> &'static str {
        match self {
            Kind::FirearmType => "changing a firearm type",
            Kind::CoreKpi => "changing a core KPI",
        }
    }

    pub fn invalid(self, field: &'static str, reason: String) -> E {
        match self {
            Kind::FirearmType => E::InvalidFirearmType { field, reason },
            Kind::CoreKpi => E::InvalidCoreKpi { field, reason },
        }
    }

    /// No entry `slug`; suggests the closest of `known`.
    pub fn unknown<'a>(self, slug: &str, known: impl IntoIterator<Item = &'a str>) -> E {
        let slug = slug.to_string();
        let did_you_mean = did_you_mean(&slug, known).map(str::to_string);
        match self {
            Kind::FirearmType => E::UnknownFirearmType { slug, did_you_mean },
            Kind::CoreKpi => E::UnknownCoreKpi { slug, did_you_mean },
        }
    }

    pub fn retired(self, slug: &str) -> E {
        let slug = slug.to_string();
        match self {
            Kind::FirearmType => E::RetiredFirearmType { slug },
            Kind::CoreKpi => E::RetiredCoreKpi { slug },
        }
    }

    fn exists(self, slug: &str) -> E {
        let slug = slug.to_string();
        match self {
            Kind::FirearmType => E::FirearmTypeExists { slug },
            Kind::CoreKpi => E::CoreKpiExists { slug },
        }
    }

    /// A slug is a short snake_case word, like the seeded ones (`moves_money`, `gross_sales`).
    pub fn check_slug(self, slug: &str) -> Result<()> {
        let ok = (2..=48).contains(&slug.len())
            && slug.starts_with(|c: char| c.is_ascii_lowercase())
            && (slug.chars()).all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            return Ok(());
        }
        let reason =
            format!("`{slug}` must be 2–48 characters of a–z, 0–9 and _, starting with a letter");
        Err(self.invalid("slug", reason))
    }

    /// The name and description, trimmed, if both are present and short enough.
    pub fn check_name_and_description(
        self,
        name: &str,
        description: &str,
    ) -> Result<(String, String)> {
        let (name, description) = (name.trim(), description.trim());
        if name.is_empty() || name.chars().count() > 80 {
            return Err(self.invalid("name", "a name of 1–80 characters is required".into()));
        }
        if description.is_empty() || description.chars().count() > 500 {
            let reason = "a description of 1–500 characters is required".into();
            return Err(self.invalid("description", reason));
        }
        Ok((name.to_string(), description.to_string()))
    }

    /// Adding `slug`, whose current version is `current` (None: not there yet).
    pub fn expect_absent(self, slug: &str, current: Option<i64>) -> Result<()> {
        match current {
            Some(_) => Err(self.exists(slug)),
            None => Ok(()),
        }
    }

    /// Changing `slug` as seen at `version`, when it is now at `current` (None: not there);
    /// `known` are the slugs there are, for a did-you-mean.
    pub fn expect_version<'a>(
        self,
        slug: &str,
        current: Option<i64>,
        version: i64,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Result<()> {
        match current {
            None => Err(self.unknown(slug, known)),
            Some(v) if v != version => Err(E::Conflict {
                what: vec![format!("{} `{slug}`", self.label())],
            }),
            Some(_) => Ok(()),
        }
    }

    /// Giving entry `slug` to a scope or a metric: it must exist and not be retired, unless the
    /// scope or metric already has it (`kept`). `entries` are (slug, retired).
    pub fn pick<'a>(
        self,
        slug: &str,
        entries: impl IntoIterator<Item = (&'a str, bool)> + Clone,
        kept: bool,
    ) -> Result<()> {
        match entries.clone().into_iter().find(|(s, _)| *s == slug) {
            None => {
                let live = entries.into_iter().filter(|(_, retired)| !retired);
                Err(self.unknown(slug, live.map(|(s, _)| s)))
            }
            Some((_, true)) if !kept => Err(self.retired(slug)),
            Some(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Kind::{CoreKpi, FirearmType};

    #[test]
    fn slugs_names_and_descriptions_are_checked_alike_with_each_kinds_code() {
        assert!(FirearmType.check_slug("moves_money").is_ok());
        assert_eq!(
            FirearmType.check_slug("Moves").unwrap_err().code(),
            "firearms.invalid"
        );
        assert_eq!(
            CoreKpi.check_slug("x").unwrap_err().code(),
            "core_kpis.invalid"
        );
        let ok = CoreKpi
            .check_name_and_description(" Orders ", " Count ")
            .unwrap();
        assert_eq!(ok, ("Orders".to_string(), "Count".to_string()));
        let blank = FirearmType
            .check_name_and_description("n", " ")
            .unwrap_err();
        assert!(blank.to_string().contains("description"), "{blank}");
    }

    #[test]
    fn a_change_needs_the_entry_at_the_version_seen_and_suggests_a_near_slug() {
        let known = ["gross_sales", "net_sales"];
        assert!(CoreKpi
            .expect_version("net_sales", Some(2), 2, known)
            .is_ok());
        let stale = CoreKpi
            .expect_version("net_sales", Some(3), 2, known)
            .unwrap_err();
        assert_eq!(stale.code(), "registry.conflict");
        assert!(
            stale.to_string().contains("core KPI `net_sales`"),
            "{stale}"
        );
        let typo = CoreKpi
            .expect_version("gross_sale", None, 0, known)
            .unwrap_err();
        assert_eq!(typo.code(), "kpis.unknown_kpi");
        assert!(
            typo.to_string().contains("did you mean `gross_sales`"),
            "{typo}"
        );
        let typo = FirearmType.expect_version("moves_mony", None, 0, ["moves_money"]);
        assert!(typo
            .unwrap_err()
            .to_string()
            .contains("did you mean `moves_money`"));
    }

    #[test]
    fn an_add_needs_a_slug_not_taken() {
        assert!(FirearmType.expect_absent("sends_mail", None).is_ok());
        let taken = FirearmType
            .expect_absent("sends_mail", Some(0))
            .unwrap_err();
        assert_eq!(taken.code(), "firearms.exists");
        assert_eq!(
            CoreKpi
                .expect_absent("gross_sales", Some(1))
                .unwrap_err()
                .code(),
            "core_kpis.exists"
        );
    }

    #[test]
    fn a_pick_refuses_unknown_and_retired_entries_but_keeps_a_retired_one_already_given() {
        let entries = [("moves_money", false), ("old_type", true)];
        assert!(FirearmType.pick("moves_money", entries, false).is_ok());
        assert_eq!(
            FirearmType
                .pick("old_type", entries, false)
                .unwrap_err()
                .code(),
            "firearms.retired"
        );
        assert!(FirearmType.pick("old_type", entries, true).is_ok());
        let typo = FirearmType.pick("old_typ", entries, false).unwrap_err();
        assert_eq!(typo.code(), "firearms.unknown_type");
        assert!(
            !typo.to_string().contains("did you mean"),
            "retired entries are not suggested: {typo}"
        );
        assert_eq!(
            CoreKpi
                .pick("gross", [("gross_sales", false)], false)
                .unwrap_err()
                .code(),
            "kpis.unknown_kpi"
        );
    }
}
