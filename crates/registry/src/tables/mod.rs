//! The registry's storage as ordinary Rust: one module of queries per table or concern, written
//! once for both backends on `crate::db` (ADR 0008). Rules live in the pure modules beside them
//! (`plan.rs`, `review.rs`, `team.rs`…), tested without a database.

pub(crate) mod approvals;
pub(crate) mod audit_chain;
pub(crate) mod audit_log;
pub(crate) mod code_review;
mod connector_page;
mod connectors;
mod core_kpis;
mod dev_accounts;
pub(crate) mod files;
mod firearm_types;
pub(crate) mod gate;
mod kpi_mappings;
pub(crate) mod manifest_problems;
pub(crate) mod manifests;
pub mod pending_calls;
pub(crate) mod providers;
pub mod receipts;
mod run_gate;
mod scope_gating;
pub(crate) mod slug_entries;
mod status;
mod sync;
mod team_policy;
pub mod tool_policies;
mod utm;
mod versioned;

use crate::db::Query;

/// Appends `head`, the slugs as placeholders separated by commas, and `)`.
pub(crate) fn in_list_tail<'q>(q: &mut Query<'q>, head: &'static str, slugs: &[&'q str]) {
    q.push(head);
    for (i, slug) in slugs.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*slug);
    }
    q.push(")");
}
