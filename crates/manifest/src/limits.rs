//! Hard bounds on what the parser accepts: bad input is an error, never a hang or an OOM.

/// Largest manifest accepted, in bytes (the contract's 1 MiB).
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Deepest nesting of mappings and sequences.
pub const MAX_DEPTH: usize = 32;
/// Anchors and aliases are rarely needed in a manifest; a few are tolerated.
pub const MAX_ANCHORS: usize = 16;
pub const MAX_ALIASES: usize = 32;
/// Total events the parser may produce (including replayed aliases).
pub const MAX_EVENTS: usize = 400_000;
pub const MAX_NODES: usize = 200_000;
