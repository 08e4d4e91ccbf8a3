//! A Tauri command is named in three places that Tauri cannot derive from one another: the
//! handler list (`collect_commands!` in `src/lib.rs`), the permission manifest (`COMMANDS` in
//! `build.rs`) and the grant (`permissions/app.toml`). This test fails naming the list a command
//! is missing from, so adding one cannot be half done. (`ui/src/bindings.ts` is checked by the
//! `bindings` test.)

use std::collections::BTreeSet;
use std::path::Path;

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text between `start` and the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"))
        + start.len();
    let len = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("`{end}` not found"));
    &text[from..from + len]
}

fn handlers() -> BTreeSet<String> {
    let lib = read("src/lib.rs");
    between(&lib, "collect_commands![", "]")
        .split(',')
        .filter_map(|path| path.trim().rsplit("::").next())
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

fn quoted(list: &str) -> BTreeSet<String> {
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn manifest() -> BTreeSet<String> {
    quoted(between(
        &read("build.rs"),
        "const COMMANDS: &[&str] = &[",
        "];",
    ))
}

fn granted() -> BTreeSet<String> {
    let toml = read("permissions/app.toml");
    quoted(between(&toml, "permissions = [", "]"))
        .into_iter()
        .map(|p| p.trim_start_matches("allow-").replace('-', "_"))
        .collect()
}

fn missing(from: &BTreeSet<String>, what: &str, of: &BTreeSet<String>) -> Vec<String> {
    of.difference(from)
        .map(|name| format!("`{name}` is missing from {what}"))
        .collect()
}

#[test]
fn every_command_is_in_every_list() {
    let (handlers, manifest, granted) = (handlers(), manifest(), granted());
    assert!(
        handlers.len() > 30,
        "parsed only {handlers:?} from src/lib.rs"
    );
    let all: BTreeSet<String> = handlers
        .iter()
        .chain(&manifest)
        .chain(&granted)
        .cloned()
        .collect();
    let mut problems = missing(&handlers, "collect_commands! in src/lib.rs", &all);
    problems.extend(missing(&manifest, "COMMANDS in build.rs", &all));
    problems.extend(missing(
        &granted,
        "permissions/app.toml (as allow-<name-with-dashes>)",
        &all,
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_missing_grant_is_named() {
    let mut granted = granted();
    granted.remove("approve");
    assert_eq!(
        missing(&granted, "permissions/app.toml", &handlers()),
        ["`approve` is missing from permissions/app.toml"]
    );
}
