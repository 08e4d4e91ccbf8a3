//! `sentinel utm templates|export|import|build|check-url`: the UTM builder on the command line.
//! Thin adapters over the registry's UTM operations; the rules live in `godconfig_utm`.

use crate::review::Who;
use crate::scopes::TableFormat;
use crate::{open, output};
use clap::Subcommand;
use godconfig_registry::RegistryError;
use godconfig_sentinel::{flows, SentinelError};
use godconfig_utm::{check_url, parse_base, template_for, LinkRequest, UtmTemplate, Violation};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum UtmCommand {
    /// List the templates (one per content type) with their parameters and rules
    Templates {
        #[arg(long, value_enum, default_value = "human")]
        format: TableFormat,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
    /// Write every template as YAML (to FILE, or standard output)
    Export {
        file: Option<PathBuf>,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
    /// Read templates from a YAML file, checked like a manifest; all or nothing
    Import {
        file: PathBuf,
        /// Replace templates of content types that already exist
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        who: Who,
    },
    /// Build a tagged link with a connector's content-type template, and keep it in the history
    Build {
        #[arg(long, value_name = "SLUG")]
        connector: String,
        #[arg(long, value_name = "TYPE")]
        content_type: String,
        /// The page to link to (http or https)
        #[arg(long, value_name = "URL")]
        url: String,
        #[arg(long)]
        campaign: Option<String>,
        /// A free variable of the template, NAME=VALUE (repeatable)
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
        #[arg(long, value_enum, default_value = "human")]
        format: TableFormat,
        #[command(flatten)]
        who: Who,
    },
    /// Check finished links (one or more per line, e.g. a campaign sheet as CSV) against the rules
    CheckUrl {
        /// A file of links, or `-` / nothing for standard input
        file: Option<PathBuf>,
        /// The template to check against [default: the one whose utm_medium the link carries]
        #[arg(long, value_name = "TYPE")]
        content_type: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: TableFormat,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))
}

fn read_input(file: Option<&PathBuf>) -> Result<String, SentinelError> {
    let mut text = String::new();
    let io = |path: String, e: std::io::Error| SentinelError::Dir {
        path: path.into(),
        reason: e.to_string(),
    };
    match file.filter(|f| f.as_os_str() != "-") {
        Some(f) => text = std::fs::read_to_string(f).map_err(|e| io(f.display().to_string(), e))?,
        None => {
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| io("standard input".into(), e))?;
        }
    }
    Ok(text)
}

/// Refused input is a normal outcome here: each violation on its own line, exit 1.
fn refused(e: RegistryError, prefix: &str) -> Result<ExitCode, SentinelError> {
    match e {
        RegistryError::UtmRefused { violations } => {
            print_violations(prefix, &violations);
            Ok(ExitCode::FAILURE)
        }
        other => Err(other.into()),
    }
}

fn print_violations(prefix: &str, violations: &[Violation]) {
    for v in violations {
        eprintln!("{prefix}{v}");
    }
}

pub async fn run(command: UtmCommand) -> Result<ExitCode, SentinelError> {
    match command {
        UtmCommand::Templates { format, db } => {
            let store = open(db.as_deref()).await?;
            let t = store.utm_templates().await;
            store.close().await;
            output::utm_templates(&t?, format);
            Ok(ExitCode::SUCCESS)
        }
        UtmCommand::Export { file, db } => {
            let store = open(db.as_deref()).await?;
            let export = flows::utm::export_templates(&store).await;
            store.close().await;
            let flows::utm::Export {
                yaml: text,
                templates,
            } = export?;
            match file {
                Some(f) => {
                    std::fs::write(&f, text).map_err(|e| SentinelError::Write {
                        path: f.clone(),
                        reason: e.to_string(),
                    })?;
                    println!("wrote {templates} template(s) to {}", f.display());
                }
                None => print!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        UtmCommand::Import { file, replace, who } => {
            let text = read_input(Some(&file))?;
            let store = open(who.db.as_deref()).await?;
            let out = flows::utm::import_templates(&store, &text, replace, &who.actor()).await;
            store.close().await;
            let out = match out {
                Ok(Err(v)) => {
                    print_violations(&format!("{}:", file.display()), &v);
                    eprintln!("nothing was imported");
                    return Ok(ExitCode::FAILURE);
                }
                Ok(Ok(o)) => Ok(o),
                Err(e) => Err(e),
            };
            match out {
                Ok(o) => {
                    println!(
                        "imported: {} added, {} replaced, {} unchanged",
                        o.added.len(),
                        o.replaced.len(),
                        o.unchanged.len()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(e, ""),
            }
        }
        UtmCommand::Build {
            connector,
            content_type,
            url,
            campaign,
            vars,
            format,
            who,
        } => {
            let req = LinkRequest {
                connector,
                content_type,
                base_url: url,
                campaign,
                vars: vars.into_iter().collect::<BTreeMap<_, _>>(),
            };
            let store = open(who.db.as_deref()).await?;
            let out = flows::utm::build_link(&store, &req, &who.actor()).await;
            store.close().await;
            match out {
                Ok(link) if format == TableFormat::Json => {
                    output::json_doc("link", &link);
                    Ok(ExitCode::SUCCESS)
                }
                Ok(link) => {
                    println!("{}", link.url);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(e, ""),
            }
        }
        UtmCommand::CheckUrl {
            file,
            content_type,
            format,
            db,
        } => {
            let text = read_input(file.as_ref())?;
            let store = open(db.as_deref()).await?;
            let t = store.utm_templates().await;
            store.close().await;
            let templates: Vec<UtmTemplate> = t?.into_iter().map(|s| s.template).collect();
            let results = check_lines(&text, &templates, content_type.as_deref());
            output::utm_checks(&results, format);
            Ok(if results.iter().all(|r| r.violations.is_empty()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

/// One link found in the input, and what it breaks.
#[derive(serde::Serialize)]
pub struct LinkCheck {
    pub line: usize,
    pub url: String,
    pub template: Option<String>,
    pub violations: Vec<Violation>,
}

/// The fields of a line: CSV-style (a quoted field may hold separators, `""` is a quote),
/// separated by commas, semicolons, tabs or spaces.
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if !quoted && (c.is_whitespace() || c == ',' || c == ';') => {
                out.push(std::mem::take(&mut cur))
            }
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().filter(|f| !f.is_empty()).collect()
}

/// Links are the fields of a line that look like URLs (`scheme://…`, or `javascript:` and
/// friends, which are reported as unsafe).
pub fn check_lines(
    text: &str,
    templates: &[UtmTemplate],
    content_type: Option<&str>,
) -> Vec<LinkCheck> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let links = fields(line).into_iter().filter(|f| {
            f.contains("://")
                || ["javascript:", "data:", "vbscript:"]
                    .iter()
                    .any(|s| f.to_ascii_lowercase().starts_with(s))
        });
        for url in links {
            let template = match content_type {
                Some(ct) => templates.iter().find(|t| t.content_type == ct),
                None => template_for(templates, &url),
            };
            let violations = match (parse_base(&url), template, content_type) {
                // An unsafe or broken link is that first, whatever template it would have.
                (Err(v), _, _) => vec![Violation {
                    field: "url".into(),
                    ..v
                }],
                (Ok(_), Some(t), _) => check_url(t, &url),
                (Ok(_), None, Some(ct)) => vec![Violation::new(
                    "utm.no_template",
                    "content_type",
                    format!("no template for content type `{ct}`"),
                    "`sentinel utm templates` lists them",
                )],
                (Ok(_), None, None) => vec![Violation::new(
                    "utm.no_template",
                    "utm_medium",
                    "no template sets this link's utm_medium",
                    "pass --content-type to choose the template",
                )],
            };
            out.push(LinkCheck {
                line: i + 1,
                url,
                template: template.map(|t| t.content_type.clone()),
                violations,
            });
        }
    }
    out
}
