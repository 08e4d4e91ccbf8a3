//! What changed in a connector's files and tools since its approval, as a reviewer reads it:
//! a line diff per file (the `similar` crate, with three lines of context) and, per tool, which
//! parts of its definition changed. Pure functions; `tables/code_review.rs` feeds them.

use crate::files::FileRef;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use std::collections::BTreeMap;

/// Lines of unchanged context around each change.
pub const CONTEXT: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum FileState {
    Added,
    Removed,
    Changed,
    Same,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum LineKind {
    Context,
    Added,
    Removed,
}

/// One line of a hunk, with its number on each side (1-based; none on the side it is missing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DiffLine {
    pub kind: LineKind,
    pub old_line: Option<u32>,
    pub new_line: Option<u32>,
    pub text: String,
}

/// A run of changes with their context, as a unified diff's `@@` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Hunk {
    pub lines: Vec<DiffLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FileDiff {
    pub path: String,
    pub state: FileState,
    /// Not text (not UTF-8): sizes only, no lines.
    pub binary: bool,
    pub old_size: Option<u32>,
    pub new_size: Option<u32>,
    pub hunks: Vec<Hunk>,
    pub added: u32,
    pub removed: u32,
}

/// The text of one side: empty when the file is missing, None when it is not UTF-8.
fn text(b: Option<&[u8]>) -> Option<&str> {
    b.map_or(Some(""), |b| std::str::from_utf8(b).ok())
}

/// The line diff of one file; `None` on a side where the file does not exist.
pub fn file_diff(path: &str, old: Option<&[u8]>, new: Option<&[u8]>) -> FileDiff {
    let state = match (old, new) {
        (None, _) => FileState::Added,
        (_, None) => FileState::Removed,
        (Some(o), Some(n)) if o == n => FileState::Same,
        _ => FileState::Changed,
    };
    let size = |b: Option<&[u8]>| b.map(|b| b.len() as u32);
    let mut out = FileDiff {
        path: path.to_string(),
        state,
        binary: false,
        old_size: size(old),
        new_size: size(new),
        hunks: Vec::new(),
        added: 0,
        removed: 0,
    };
    let (Some(o), Some(n)) = (text(old), text(new)) else {
        out.binary = true;
        return out;
    };
    let diff = TextDiff::from_lines(o, n);
    for group in diff.grouped_ops(CONTEXT) {
        let mut lines = Vec::new();
        for op in &group {
            for change in diff.iter_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => LineKind::Context,
                    ChangeTag::Insert => LineKind::Added,
                    ChangeTag::Delete => LineKind::Removed,
                };
                match kind {
                    LineKind::Added => out.added += 1,
                    LineKind::Removed => out.removed += 1,
                    LineKind::Context => {}
                }
                let number = |i: Option<usize>| i.map(|i| i as u32 + 1);
                lines.push(DiffLine {
                    kind,
                    old_line: number(change.old_index()),
                    new_line: number(change.new_index()),
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
        out.hunks.push(Hunk { lines });
    }
    out
}

/// Every file of either side, in path order: `content` gives the bytes of a stored hash.
pub fn files_diff<'a>(
    old: &[FileRef],
    new: &[FileRef],
    content: impl Fn(&str) -> Option<&'a [u8]>,
) -> Vec<FileDiff> {
    let mut paths: BTreeMap<&str, (Option<&str>, Option<&str>)> = BTreeMap::new();
    for f in old {
        paths.entry(&f.path).or_default().0 = Some(&f.hash);
    }
    for f in new {
        paths.entry(&f.path).or_default().1 = Some(&f.hash);
    }
    (paths.into_iter())
        .map(|(path, (o, n))| {
            if o.is_some() && o == n {
                let size = o.and_then(&content).map(|b| b.len() as u32);
                return FileDiff {
                    path: path.to_string(),
                    state: FileState::Same,
                    binary: false,
                    old_size: size,
                    new_size: size,
                    hunks: Vec::new(),
                    added: 0,
                    removed: 0,
                };
            }
            file_diff(path, o.and_then(&content), n.and_then(&content))
        })
        .collect()
}

/// One diff line as a unified diff prints it: `+`, `-` or a space, then the text.
pub fn unified(line: &DiffLine) -> String {
    let sign = match line.kind {
        LineKind::Context => ' ',
        LineKind::Added => '+',
        LineKind::Removed => '-',
    };
    format!("{sign}{}", line.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_one_removal_and_one_addition_with_numbers_and_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\ni\n";
        let d = file_diff("service.py", Some(old.as_bytes()), Some(new.as_bytes()));
        assert_eq!(d.state, FileState::Changed);
        assert_eq!((d.added, d.removed), (2, 1));
        assert_eq!(d.hunks.len(), 1);
        let lines: Vec<String> = d.hunks[0].lines.iter().map(unified).collect();
        assert_eq!(
            lines,
            [" b", " c", " d", "-e", "+E", " f", " g", " h", "+i"]
        );
        let e = &d.hunks[0].lines[3];
        assert_eq!((e.old_line, e.new_line), (Some(5), None));
        let big_e = &d.hunks[0].lines[4];
        assert_eq!((big_e.old_line, big_e.new_line), (None, Some(5)));
    }

    #[test]
    fn far_apart_changes_are_separate_hunks() {
        let old: String = (1..=40).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 2\n", "line two\n")
            .replace("line 39\n", "");
        let d = file_diff("x.py", Some(old.as_bytes()), Some(new.as_bytes()));
        assert_eq!(d.hunks.len(), 2);
        assert_eq!((d.added, d.removed), (1, 2));
    }

    #[test]
    fn new_removed_binary_and_unchanged_files() {
        let added = file_diff("n.py", None, Some(b"x\ny\n"));
        assert_eq!(
            (added.state, added.added, added.removed),
            (FileState::Added, 2, 0)
        );
        let gone = file_diff("o.py", Some(b"x\n"), None);
        assert_eq!((gone.state, gone.removed), (FileState::Removed, 1));
        let bin = file_diff("k.bin", Some(&[0xff, 0xfe]), Some(&[0xff]));
        assert!(bin.binary && bin.hunks.is_empty());
        assert_eq!((bin.old_size, bin.new_size), (Some(2), Some(1)));
        let r = |p: &str, h: &str| FileRef {
            path: p.into(),
            hash: h.into(),
        };
        let blobs = [("h1", &b"same\n"[..]), ("h2", b"old\n"), ("h3", b"new\n")];
        let content = |h: &str| blobs.iter().find(|(k, _)| *k == h).map(|(_, v)| *v);
        let all = files_diff(
            &[r("a.md", "h1"), r("s.py", "h2")],
            &[r("a.md", "h1"), r("s.py", "h3")],
            content,
        );
        assert_eq!(all[0].state, FileState::Same);
        assert_eq!(all[1].state, FileState::Changed);
        assert_eq!((all[1].added, all[1].removed), (1, 1));
    }
}
