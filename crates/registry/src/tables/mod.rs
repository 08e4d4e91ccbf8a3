//! The registry's storage as ordinary Rust: one module of queries per table or concern, written
//! once for both backends on `crate::db` (ADR 0008). Rules live in the pure modules beside them
//! (`plan.rs`, `review.rs`, `team.rs`…), tested without a database.
//!
//! Being moved here from the `sql*.rs` macros one concern at a time; the macros call into these
//! modules for what has moved.

pub(crate) mod audit_log;
mod dev_accounts;
pub(crate) mod gate;
pub(crate) mod manifest_problems;
pub(crate) mod providers;
mod team_policy;
mod utm;
