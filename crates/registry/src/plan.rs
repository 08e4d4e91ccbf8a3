//! Pure sync planning: which connectors are new, changed, unchanged or gone, and the status each
//! one ends in. The store runs this inside its write transaction.

use crate::diff::{self, ConnectorDiff};
use crate::files::{self, FileRef};
use crate::model::{ChangeKind, ConnectorChange, Status, SyncInput, ValidConnector};
use godconfig_manifest::Manifest;
use std::collections::{BTreeSet, HashMap};

pub(crate) struct Registered {
    pub hash: String,
    pub fingerprint: String,
    pub status: Status,
}

pub(crate) struct Classified<'a> {
    pub added: Vec<&'a ValidConnector>,
    pub changed: Vec<(&'a ValidConnector, Status)>,
    pub removed: Vec<(String, Status)>,
    pub unchanged: usize,
}

pub(crate) fn classify<'a>(
    input: &'a SyncInput,
    index: &HashMap<String, Registered>,
) -> Classified<'a> {
    let mut out = Classified {
        added: vec![],
        changed: vec![],
        removed: vec![],
        unchanged: 0,
    };
    for c in &input.valid {
        match index.get(c.slug()) {
            None => out.added.push(c),
            Some(r)
                if r.hash == c.hash
                    && r.fingerprint == c.fingerprint
                    && r.status != Status::Removed =>
            {
                out.unchanged += 1
            }
            Some(r) => out.changed.push((c, r.status)),
        }
    }
    // A hash registered by another writer since the caller read it is picked up by the next sync.
    out.unchanged += input.unparsed.len();
    out.removed = index
        .iter()
        .filter(|(slug, r)| r.status != Status::Removed && !input.present.contains(*slug))
        .filter(|(slug, _)| input.only.as_ref().is_none_or(|only| only.contains(*slug)))
        .map(|(slug, r)| (slug.clone(), r.status))
        .collect();
    out.removed.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The status after a manifest change, and the reason recorded with it.
pub(crate) fn next_status(before: Status, d: &ConnectorDiff) -> (Status, Option<String>) {
    match before {
        Status::Approved if d.risk.is_empty() => (Status::Approved, None),
        Status::Approved => (
            Status::Draft,
            Some(format!("back to review: {}", d.risk.join("; "))),
        ),
        Status::Rejected => (
            Status::Draft,
            Some("manifest changed after rejection".into()),
        ),
        Status::Removed => (Status::Draft, Some("folder is back".into())),
        Status::Draft => (Status::Draft, None),
    }
}

/// Gated scopes in effect: declared, unless an operator override says otherwise.
pub fn effective_gated(m: &Manifest, overrides: &[(String, bool)]) -> BTreeSet<String> {
    m.scopes
        .iter()
        .filter(|s| {
            overrides
                .iter()
                .find(|(name, _)| *name == s.name)
                .map_or(s.requires_firearm, |(_, gated)| *gated)
        })
        .map(|s| s.name.clone())
        .collect()
}

/// The files of `v` against those registered (`old`), and the risk they add.
fn with_files(
    mut d: ConnectorDiff,
    v: &ValidConnector,
    old: Option<&Vec<FileRef>>,
) -> ConnectorDiff {
    let old = old.map_or(&[][..], |o| o.as_slice());
    d.files = files::diff(
        old.iter().map(|f| (f.path.as_str(), f.hash.as_str())),
        v.files.iter().map(|f| (f.path.as_str(), f.hash.as_str())),
    );
    d.risk.extend(files::risk(&d.files));
    d
}

/// What the registry holds before the sync, for the connectors that changed.
pub(crate) struct Before {
    pub manifests: HashMap<String, Manifest>,
    pub overrides: HashMap<String, Vec<(String, bool)>>,
    pub files: HashMap<String, Vec<FileRef>>,
}

/// One change per connector, with its diff and the status it ends in.
pub(crate) fn changes(c: &Classified<'_>, reg: &Before) -> Vec<(ConnectorChange, Option<String>)> {
    let (old, overrides) = (&reg.manifests, &reg.overrides);
    let mut out = Vec::with_capacity(c.added.len() + c.changed.len() + c.removed.len());
    for v in &c.added {
        let change = ConnectorChange {
            slug: v.slug().to_string(),
            kind: ChangeKind::Added,
            status_before: None,
            status_after: Status::Draft,
            diff: with_files(diff::added(&v.manifest), v, None),
        };
        out.push((change, None));
    }
    for (v, before) in &c.changed {
        let d = match old.get(v.slug()) {
            Some(o) => {
                let gated =
                    effective_gated(o, overrides.get(v.slug()).map_or(&[], |x| x.as_slice()));
                diff::diff(o, &v.manifest, &gated)
            }
            None => diff::added(&v.manifest),
        };
        let d = with_files(d, v, reg.files.get(v.slug()));
        let (after, reason) = next_status(*before, &d);
        let change = ConnectorChange {
            slug: v.slug().to_string(),
            kind: ChangeKind::Changed,
            status_before: Some(*before),
            status_after: after,
            diff: d,
        };
        out.push((change, reason));
    }
    for (slug, before) in &c.removed {
        let change = ConnectorChange {
            slug: slug.clone(),
            kind: ChangeKind::Removed,
            status_before: Some(*before),
            status_after: Status::Removed,
            diff: ConnectorDiff::default(),
        };
        out.push((change, Some("connector folder disappeared".into())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_survives_only_cosmetic_changes() {
        let cosmetic = ConnectorDiff::default();
        let risky = ConnectorDiff {
            risk: vec!["scope added: x".into()],
            ..Default::default()
        };
        assert_eq!(next_status(Status::Approved, &cosmetic).0, Status::Approved);
        let (s, reason) = next_status(Status::Approved, &risky);
        assert_eq!(s, Status::Draft);
        assert!(reason.unwrap().contains("scope added: x"));
        assert_eq!(next_status(Status::Rejected, &cosmetic).0, Status::Draft);
        assert_eq!(next_status(Status::Removed, &cosmetic).0, Status::Draft);
    }

    #[test]
    fn a_change_sent_back_to_review_is_audited_as_such_whatever_its_kind() {
        use crate::model::{ChangeKind, ConnectorChange};
        let change = |kind, before, after| ConnectorChange {
            slug: "s".into(),
            kind,
            status_before: before,
            status_after: after,
            diff: ConnectorDiff::default(),
        };
        let back = change(ChangeKind::Changed, Some(Status::Approved), Status::Draft);
        assert_eq!(back.audit_action(), "sync.back_to_draft");
        let kept = change(
            ChangeKind::Changed,
            Some(Status::Approved),
            Status::Approved,
        );
        assert_eq!(kept.audit_action(), "sync.changed");
        assert_eq!(
            change(ChangeKind::Added, None, Status::Draft).audit_action(),
            "sync.added"
        );
        let gone = change(ChangeKind::Removed, Some(Status::Draft), Status::Removed);
        assert_eq!(gone.audit_action(), "sync.removed");
    }
}
