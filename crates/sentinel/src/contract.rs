//! The contract between a manifest and its code, read with Ruff's Python parser: `mcp.py` calls
//! `service.<operation>(**arguments)`, so every operation must be a top-level `def` that takes
//! each property of its input schema as a keyword, and needs nothing else. Also refuses `.env`
//! files: keys live in the vault.

use godconfig_manifest::diagnostic::{did_you_mean, LineIndex, Position};
use godconfig_manifest::{Code, Diagnostic, Manifest, Operation};
use godconfig_registry::files::FolderFile;
use ruff_python_ast::{Expr, Parameters, Stmt, StmtFunctionDef};
use ruff_text_size::TextRange;
use std::collections::HashMap;

pub const SERVICE_FILE: &str = "service.py";

/// What the contract says about one folder: errors reject the connector, warnings do not.
#[derive(Default)]
pub(crate) struct Findings {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// The manifest as diagnostics name it, with its bytes (read again only to locate an operation).
pub(crate) struct ManifestAt<'a> {
    pub path: &'a str,
    pub bytes: &'a [u8],
}

/// Checks the folder's files against the manifest. `shown` is the folder as diagnostics name it.
pub(crate) fn check(
    shown: &str,
    manifest_at: ManifestAt<'_>,
    manifest: &Manifest,
    files: &[FolderFile],
) -> Findings {
    let mut out = Findings::default();
    for f in files.iter().filter(|f| is_env_file(&f.path)) {
        out.errors
            .push(env_file(&format!("{shown}/{}", f.path), manifest));
    }
    if manifest.operations.is_empty() {
        return out;
    }
    let ops_at = || godconfig_manifest::operation_positions(manifest_at.path, manifest_at.bytes);
    let Some(service) = files.iter().find(|f| f.path == SERVICE_FILE) else {
        let at = ops_at()
            .into_iter()
            .next()
            .map(|(_, p)| p)
            .unwrap_or_default();
        out.warnings
            .push(missing_service(manifest_at.path, at, manifest));
        return out;
    };
    let path = format!("{shown}/{SERVICE_FILE}");
    let Ok(text) = std::str::from_utf8(&service.bytes) else {
        out.errors.push(Diagnostic::error(
            &path,
            Position::default(),
            Code::NotUtf8,
            "service.py is not UTF-8",
            "save it as UTF-8",
        ));
        return out;
    };
    let index = LineIndex::new(text);
    let module = match ruff_python_parser::parse_module(text) {
        Ok(parsed) => parsed.into_syntax(),
        Err(e) => {
            out.errors.push(Diagnostic::error(
                &path,
                at(&index, e.location),
                Code::PythonSyntax,
                format!("service.py is not valid Python: {}", e.error),
                format!("fix the syntax; `python3 -m py_compile {path}` reports the same"),
            ));
            return out;
        }
    };
    let top = TopLevel::of(&module.body);
    let mut positions = None;
    for op in &manifest.operations {
        let service = Service {
            path: &path,
            index: &index,
        };
        match top.functions.get(op.name.as_str()) {
            Some(def) => out.errors.extend(service.signature(op, def)),
            // Bound some other way (imported, assigned): not a shape this check can read.
            None if top.has(&op.name) => {}
            None => {
                let positions = positions.get_or_insert_with(ops_at);
                let at = (positions.iter())
                    .find(|(name, _)| *name == op.name)
                    .map(|(_, p)| *p)
                    .unwrap_or_default();
                let names: Vec<&str> = top.functions.keys().copied().collect();
                out.errors
                    .push(missing_function(manifest_at.path, at, op, &names));
            }
        }
    }
    out
}

fn is_env_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name == ".env" || name.starts_with(".env.")
}

fn env_file(path: &str, manifest: &Manifest) -> Diagnostic {
    let example = (manifest.secrets.first())
        .map(|s| manifest.vault_key(s))
        .unwrap_or_else(|| format!("PROVIDER_{}_API_KEY", manifest.provider_slug.to_uppercase()));
    Diagnostic::error(
        path,
        Position::default(),
        Code::EnvFile,
        "a .env file is in the connector folder; keys never live in files",
        format!(
            "delete it and store each key in the OS keyring: `sentinel vault set {example}`; \
             the connector reads it from its environment at run time"
        ),
    )
}

fn missing_service(manifest: &str, at: Position, m: &Manifest) -> Diagnostic {
    let mut d = Diagnostic::error(
        manifest,
        at,
        Code::MissingService,
        match m.operations.len() {
            1 => "the manifest declares an operation and the folder has no service.py; calling it will fail".to_string(),
            n => format!("the manifest declares {n} operations and the folder has no service.py; calling them will fail"),
        },
        "write service.py with one function per operation (`sentinel new` shows the shape)",
    );
    d.severity = godconfig_manifest::Severity::Warning;
    d
}

fn missing_function(manifest: &str, at: Position, op: &Operation, names: &[&str]) -> Diagnostic {
    let mut hint = format!("add `def {}({}):` to service.py", op.name, signature_of(op));
    if let Some(near) = did_you_mean(&op.name, names.iter().copied()) {
        hint = format!("did you mean `{near}`? rename it, or {hint}");
    }
    Diagnostic::error(
        manifest,
        at,
        Code::MissingFunction,
        format!(
            "operation `{}` has no function of that name in service.py",
            op.name
        ),
        hint,
    )
}

/// The keyword-only signature that fits an operation's schema: `*, required, optional=None`.
pub fn signature_of(op: &Operation) -> String {
    let (props, required) = schema_of(op);
    let mut parts = vec!["*".to_string()];
    parts.extend(
        props
            .iter()
            .filter(|p| required.contains(p))
            .map(|p| p.to_string()),
    );
    parts.extend((props.iter().filter(|p| !required.contains(p))).map(|p| format!("{p}=None")));
    if parts.len() == 1 {
        return String::new();
    }
    parts.join(", ")
}

/// The schema's property names, in order, and the required ones.
fn schema_of(op: &Operation) -> (Vec<&str>, Vec<&str>) {
    let schema = op.input_schema.as_ref();
    let props = (schema.and_then(|s| s.get("properties")?.as_object()))
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let required = (schema.and_then(|s| s.get("required")?.as_array()))
        .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    (props, required)
}

/// The names a module binds at its top level: functions, and everything else.
struct TopLevel<'a> {
    functions: HashMap<&'a str, &'a StmtFunctionDef>,
    /// Bound another way, or only in a block (`if`, `try`…): not checked.
    other: Vec<&'a str>,
    /// `from x import *` or a module `__getattr__`: any name may resolve.
    open: bool,
}

impl<'a> TopLevel<'a> {
    fn of(body: &'a [Stmt]) -> Self {
        let mut top = TopLevel {
            functions: HashMap::new(),
            other: Vec::new(),
            open: false,
        };
        top.add(body, true);
        top.open |= top.functions.contains_key("__getattr__");
        top
    }

    fn has(&self, name: &str) -> bool {
        self.open || self.other.contains(&name)
    }

    fn add(&mut self, body: &'a [Stmt], top: bool) {
        for stmt in body {
            match stmt {
                // A later definition wins, as in Python.
                Stmt::FunctionDef(f) if top => {
                    self.functions.insert(f.name.id.as_str(), f);
                }
                Stmt::FunctionDef(f) => self.other.push(f.name.id.as_str()),
                Stmt::ClassDef(c) => self.other.push(c.name.id.as_str()),
                Stmt::Assign(a) => self.other.extend(a.targets.iter().filter_map(name_of)),
                Stmt::AnnAssign(a) => self.other.extend(name_of(&a.target)),
                Stmt::Import(i) => self.other.extend(i.names.iter().map(|a| {
                    let bound = a.asname.as_ref().unwrap_or(&a.name).id.as_str();
                    bound.split('.').next().unwrap_or(bound)
                })),
                Stmt::ImportFrom(i) => {
                    for a in &i.names {
                        match a.name.id.as_str() {
                            "*" => self.open = true,
                            name => self
                                .other
                                .push(a.asname.as_ref().map_or(name, |n| n.id.as_str())),
                        }
                    }
                }
                Stmt::If(s) => {
                    self.add(&s.body, false);
                    for clause in &s.elif_else_clauses {
                        self.add(&clause.body, false);
                    }
                }
                Stmt::Try(s) => {
                    for block in [&s.body, &s.orelse, &s.finalbody] {
                        self.add(block, false);
                    }
                    for h in &s.handlers {
                        if let Some(h) = h.as_except_handler() {
                            self.add(&h.body, false);
                        }
                    }
                }
                Stmt::With(s) => self.add(&s.body, false),
                _ => {}
            }
        }
    }
}

fn name_of(e: &Expr) -> Option<&str> {
    e.as_name_expr().map(|n| n.id.as_str())
}

fn at(index: &LineIndex<'_>, range: TextRange) -> Position {
    let offset = usize::from(range.start());
    let (line, column) = index.line_col(offset);
    Position {
        line,
        column,
        offset,
        length: usize::from(range.len()),
    }
}

/// service.py as diagnostics name it, and its line index.
struct Service<'a> {
    path: &'a str,
    index: &'a LineIndex<'a>,
}

impl Service<'_> {
    fn error(&self, range: TextRange, message: String, hint: String) -> Diagnostic {
        let at = at(self.index, range);
        Diagnostic::error(self.path, at, Code::FunctionSignature, message, hint)
    }

    /// Every way `service.<op>(**arguments)` could fail on this signature.
    fn signature(&self, op: &Operation, def: &StmtFunctionDef) -> Vec<Diagnostic> {
        let name = &op.name;
        let want = || format!("make it `def {name}({}):`", signature_of(op));
        let mut out = Vec::new();
        if def.is_async {
            out.push(self.error(
                def.name.range,
                format!("`{name}` is `async def`; mcp.py calls it synchronously and would get a coroutine back"),
                "make it a plain `def` (use urllib, blocking, as the other connectors do)".to_string(),
            ));
        }
        let params: &Parameters = &def.parameters;
        let (props, required) = schema_of(op);
        let by_keyword = |p: &str| {
            (params.args.iter().chain(&params.kwonlyargs)).any(|a| a.parameter.name.id == p)
        };
        for prop in &props {
            if by_keyword(prop) || params.kwarg.is_some() {
                continue;
            }
            let kind = match required.contains(prop) {
                true => "required",
                false => "optional",
            };
            let posonly = params
                .posonlyargs
                .iter()
                .find(|a| a.parameter.name.id == *prop);
            let (range, why) = match posonly {
                Some(p) => (p.range, "it is positional-only (before `/`)".to_string()),
                None => (params.range, format!("it has no parameter `{prop}`")),
            };
            out.push(self.error(
                range,
                format!("`{name}` cannot take the {kind} property `{prop}` as a keyword argument: {why}"),
                want(),
            ));
        }
        let no_default = (params.posonlyargs.iter())
            .chain(&params.args)
            .chain(&params.kwonlyargs)
            .filter(|a| a.default.is_none());
        for a in no_default {
            let p = a.parameter.name.id.as_str();
            let reported =
                params.posonlyargs.iter().any(|x| x.parameter.name.id == p) && props.contains(&p);
            if required.contains(&p) || reported {
                continue;
            }
            let why = match props.contains(&p) {
                true => format!("the schema does not require `{p}`, so a call without it fails"),
                false => format!("`{p}` is not in the input schema, so mcp.py never passes it"),
            };
            out.push(self.error(
                a.range,
                format!("`{name}` needs the argument `{p}`: {why}"),
                format!("give `{p}` a default, or {}", want()),
            ));
        }
        out
    }
}
