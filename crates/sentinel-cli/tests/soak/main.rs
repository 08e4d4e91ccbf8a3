//! Concurrency soak on a real PostgreSQL: for `SOAK_SECONDS` (60 by default) two `sentinel sync`
//! processes keep re-syncing a folder that keeps changing, while four app-side clients (each its
//! own registry connection, calling what the app's commands call) gate, ungate, set types, map,
//! approve and revoke. Afterwards:
//! - no approved connector has a gated scope without a type or an unsettled metric;
//! - no update is lost: every scope's and metric's version equals the changes that succeeded on it;
//! - every change has exactly one audit entry.
//!
//! It prints the operations per second (recorded in docs/performance.md).

#[path = "../common/mod.rs"]
mod common;
mod folder;

use common::*;
use folder::mutator;
use godconfig_registry::{
    Action, ApproveRequest, DbTarget, GatingChange, GatingOp, MappingChange, MappingItem,
    MappingOp, Registry, RegistryError, ScopeRef,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default, Debug)]
struct Tally {
    /// Successful changes per (connector, scope) and per (connector, metric).
    scope_changes: HashMap<(String, String), Vec<i64>>,
    metric_changes: HashMap<(String, String), Vec<i64>>,
    gating_batches: i64,
    mapping_batches: i64,
    scopes_sent_back: i64,
    kpis_sent_back: i64,
    approvals: i64,
    revokes: i64,
    /// Refused by compare-and-set, the gate, a status or a scope that left the manifest: not lost.
    refused: i64,
    syncs: i64,
    sync_changes: i64,
}

/// xorshift64: each client's own repeatable sequence.
pub(crate) struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const TYPES: [&str; 3] = ["writes_data", "deletes_data", "moves_money"];
const KPIS: [&str; 3] = ["orders", "sessions", "active_users"];

fn refused(e: &RegistryError) -> bool {
    matches!(
        e.code().as_str(),
        "registry.conflict"
            | "review.gate_refused"
            | "review.hash_mismatch"
            | "review.wrong_status"
            | "scopes.unknown_scope"
            | "scopes.not_gated"
            | "kpis.unknown_metric"
            | "kpis.orphaned"
            | "review.not_found"
    )
}

async fn client(
    url: String,
    id: u64,
    slugs: Vec<String>,
    stop: Arc<AtomicBool>,
    tally: Arc<Mutex<Tally>>,
) {
    let reg = Registry::open(&DbTarget::parse(&url).unwrap())
        .await
        .unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ id);
    let actor = format!("client{id}");
    while !stop.load(Ordering::Relaxed) {
        let slug = &slugs[rng.next(slugs.len())];
        let result: Result<(), RegistryError> = async {
            match rng.next(6) {
                0..=2 => {
                    let rows = reg.scopes(Some(slug)).await?;
                    let Some(r) = rows.get(rng.next(rows.len().max(1))) else {
                        return Ok(());
                    };
                    let op = match (r.effective_gated, rng.next(3)) {
                        (false, _) => GatingOp::Gate {
                            firearm_type: Some(TYPES[rng.next(3)].into()),
                        },
                        (true, 0) => GatingOp::Ungate,
                        (true, _) => GatingOp::SetType {
                            firearm_type: Some(TYPES[rng.next(3)].into()),
                        },
                    };
                    let change = GatingChange {
                        op,
                        scopes: vec![ScopeRef {
                            connector: slug.clone(),
                            scope: r.name.clone(),
                            version: r.version,
                        }],
                        reason: Some("soak".into()),
                    };
                    let out = reg.change_gating(&change, &actor).await?;
                    let mut t = tally.lock().unwrap();
                    if out.changed == 1 {
                        t.scope_changes
                            .entry((slug.clone(), r.name.clone()))
                            .or_default()
                            .push(r.version);
                        t.gating_batches += 1;
                        t.scopes_sent_back += out.sent_back.len() as i64;
                    }
                }
                3 => {
                    let rows = reg.metrics(Some(slug)).await?;
                    let Some(m) = rows.get(rng.next(rows.len().max(1))) else {
                        return Ok(());
                    };
                    let op = if rng.next(4) == 0 {
                        MappingOp::Ignore {
                            reason: "soak".into(),
                        }
                    } else {
                        MappingOp::Map {
                            core_kpi: KPIS[rng.next(3)].into(),
                        }
                    };
                    let change = MappingChange {
                        items: vec![MappingItem {
                            connector: slug.clone(),
                            metric: m.raw.clone(),
                            version: m.version,
                            op,
                        }],
                    };
                    let out = reg.change_mapping(&change, &actor).await?;
                    let mut t = tally.lock().unwrap();
                    if out.changed == 1 {
                        t.metric_changes
                            .entry((slug.clone(), m.raw.clone()))
                            .or_default()
                            .push(m.version);
                        t.mapping_batches += 1;
                        t.kpis_sent_back += out.sent_back.len() as i64;
                    }
                }
                4 => {
                    let gate = reg.gate(slug).await?;
                    if !gate.passes() {
                        return Ok(());
                    }
                    let req = ApproveRequest {
                        slug: slug.clone(),
                        expected_hash: Some(gate.manifest_hash),
                        expected_fingerprint: Some(gate.fingerprint),
                    };
                    reg.approve(&[req], &actor).await?;
                    tally.lock().unwrap().approvals += 1;
                }
                _ => {
                    reg.decide(slug, Action::Revoke, &actor, "soak").await?;
                    tally.lock().unwrap().revokes += 1;
                }
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            assert!(refused(&e), "client {id}: unexpected {}: {e}", e.code());
            tally.lock().unwrap().refused += 1;
        }
    }
    reg.close().await;
}

/// Re-syncs until told to stop; every run must succeed. Counts what each run changed.
fn sentinel_loop(dir: PathBuf, url: String, stop: Arc<AtomicBool>, tally: Arc<Mutex<Tally>>) {
    while !stop.load(Ordering::Relaxed) {
        let out = sync_process(&dir, &url).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "sync failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // "sync: 9 connectors: 0 added, 2 changed, 0 removed, 7 unchanged, 0 rejected"
        let line = stdout
            .lines()
            .find(|l| l.starts_with("sync: "))
            .expect("a summary line");
        let n = |word: &str| -> i64 {
            line.split(", ")
                .chain(line.split(": "))
                .find_map(|p| {
                    p.strip_suffix(word)
                        .and_then(|v| v.trim().rsplit(' ').next()?.parse().ok())
                })
                .unwrap_or(0)
        };
        let mut t = tally.lock().unwrap();
        t.syncs += 1;
        t.sync_changes += n(" added") + n(" changed") + n(" removed");
    }
}

/// The successful changes of one scope or metric were based on versions 0, 1, 2, … each exactly
/// once (two based on the same version would be a lost update), and the stored version counts them.
fn assert_chain(key: &(String, String), based_on: &[i64], stored: Option<&i64>) {
    let mut seen = based_on.to_vec();
    seen.sort_unstable();
    let n = seen.len() as i64;
    assert_eq!(seen, (0..n).collect::<Vec<_>>(), "{key:?}: a lost update");
    assert_eq!(
        stored,
        Some(&n),
        "{key:?}: the stored version does not count the changes"
    );
}

#[test]
fn concurrency_soak_on_postgres() {
    let seconds: u64 = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let db = PgDb::new();
    let url = db.url.clone();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    let slugs = all_examples();
    copy_connectors(&dir, &slugs.iter().map(String::as_str).collect::<Vec<_>>());
    sync_cmd(&dir, &url).assert().success();

    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let mut threads = Vec::new();
    for _ in 0..2 {
        let (d, u, s, t) = (dir.clone(), url.clone(), stop.clone(), tally.clone());
        threads.push(std::thread::spawn(move || sentinel_loop(d, u, s, t)));
    }
    {
        let (d, sl, s) = (dir.clone(), slugs.clone(), stop.clone());
        threads.push(std::thread::spawn(move || mutator(d, sl, s)));
    }
    block_on_story(async {
        let clients: Vec<_> = (0..4u64)
            .map(|id| {
                tokio::spawn(client(
                    url.clone(),
                    id,
                    slugs.clone(),
                    stop.clone(),
                    tally.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            c.await.unwrap();
        }
    });
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let t = tally.lock().unwrap();

    // No approved connector breaks the gate: checked in SQL, apart from the domain's own gate.
    let bad = rows(
        &url,
        "SELECT p.slug FROM connector_providers p WHERE p.status = 'approved' AND (\
           EXISTS (SELECT 1 FROM connector_scopes s LEFT JOIN scope_gating g \
                   ON g.provider_slug = s.provider_slug AND g.scope_name = s.name \
                   WHERE s.provider_slug = p.slug AND COALESCE(g.requires_firearm, s.requires_firearm) \
                   AND g.firearm_type IS NULL) \
        OR EXISTS (SELECT 1 FROM platform_metrics m LEFT JOIN kpi_mappings k \
                   ON k.provider_slug = m.provider_slug AND k.metric_raw = m.raw \
                   WHERE m.provider_slug = p.slug AND k.core_kpi IS NULL AND NOT COALESCE(k.not_a_kpi, FALSE)))",
    );
    assert!(
        bad.is_empty(),
        "approved connectors that break the gate: {bad:?}"
    );

    // No lost update (compare-and-set): see assert_chain.
    let versions = |sql: &str| -> HashMap<(String, String), i64> {
        rows(&url, sql)
            .into_iter()
            .map(|r| ((r[0].clone(), r[1].clone()), r[2].parse().unwrap()))
            .collect()
    };
    let scopes =
        versions("SELECT provider_slug, scope_name, CAST(version AS TEXT) FROM scope_gating");
    let metrics =
        versions("SELECT provider_slug, metric_raw, CAST(version AS TEXT) FROM kpi_mappings");
    assert_eq!(
        scopes.values().filter(|v| **v > 0).count(),
        t.scope_changes.len()
    );
    for (k, based_on) in &t.scope_changes {
        assert_chain(k, based_on, scopes.get(k));
    }
    assert_eq!(
        metrics.values().filter(|v| **v > 0).count(),
        t.metric_changes.len()
    );
    for (k, based_on) in &t.metric_changes {
        assert_chain(k, based_on, metrics.get(k));
    }

    // Every change has exactly one audit entry.
    let count = |filter: &str| audit_count(&url, filter) as i64;
    let initial = all_examples().len() as i64; // the first sync's `sync.added` entries
    assert_eq!(count("action IN ('scopes.gated', 'scopes.ungated', 'scopes.type_set', 'scopes.type_cleared', 'scopes.suggestion_dismissed')"), t.gating_batches);
    assert_eq!(
        count("action LIKE 'kpis.%' AND action <> 'kpis.back_to_draft'"),
        t.mapping_batches
    );
    assert_eq!(count("action = 'scopes.back_to_draft'"), t.scopes_sent_back);
    assert_eq!(count("action = 'kpis.back_to_draft'"), t.kpis_sent_back);
    assert_eq!(count("action = 'operator.approved'"), t.approvals);
    assert_eq!(count("action = 'operator.revoked'"), t.revokes);
    assert_eq!(count("action LIKE 'sync.%'"), t.sync_changes + initial);
    assert_eq!(
        count("TRUE"),
        t.gating_batches
            + t.mapping_batches
            + t.scopes_sent_back
            + t.kpis_sent_back
            + t.approvals
            + t.revokes
            + t.sync_changes
            + initial
    );

    let ops = t.gating_batches + t.mapping_batches + t.approvals + t.revokes + t.syncs;
    println!(
        "soak: {elapsed:.1} s, {ops} operations committed ({:.1}/s): {} gating, {} mapping, {} approvals, {} revocations, {} syncs ({} connector changes); {} refused (compare-and-set, gate, status), {} connectors sent back",
        ops as f64 / elapsed,
        t.gating_batches,
        t.mapping_batches,
        t.approvals,
        t.revokes,
        t.syncs,
        t.sync_changes,
        t.refused,
        t.scopes_sent_back + t.kpis_sent_back,
    );
    assert!(
        t.approvals > 0
            && t.revokes > 0
            && t.gating_batches > 0
            && t.mapping_batches > 0
            && t.syncs > 1,
        "a soak that did little: {t:?}"
    );
}
