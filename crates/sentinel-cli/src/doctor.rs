//! `sentinel doctor`: prints each check of `flows::doctor`, and how to fix a problem.

use crate::Format;
use godconfig_registry::DbTarget;
use godconfig_sentinel::flows::doctor::{doctor, About};
use godconfig_sentinel::SentinelError;
use std::path::Path;
use std::process::ExitCode;

/// This build, for `--version`.
pub fn about() -> About {
    About::new(env!("GODCONFIG_COMMIT"))
}

pub async fn run(
    dir: &Path,
    db: Option<&str>,
    python: Option<&Path>,
    format: Format,
) -> Result<ExitCode, SentinelError> {
    let target = DbTarget::resolve(db)?;
    let checks = doctor(&target, dir, python).await;
    let problems = checks.iter().filter(|c| !c.ok).count();
    if format == Format::Json {
        let doc = serde_json::json!({ "about": about(), "checks": checks, "problems": problems });
        println!("{doc:#}");
    } else {
        println!("sentinel {}", about());
        for c in &checks {
            let state = if c.ok { "ok" } else { "problem" };
            println!("{state:<8} {:<10} {}", c.name, c.detail);
            if let Some(fix) = &c.fix {
                println!("{:<19} fix: {fix}", "");
            }
        }
        match problems {
            0 => println!("everything God Config needs is here"),
            n => println!(
                "{n} problem{}: fix {} and run `sentinel doctor` again",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it" } else { "them" }
            ),
        }
    }
    Ok(crate::exit(problems == 0))
}
