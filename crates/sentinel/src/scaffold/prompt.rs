//! The prompt to hand to a coding agent once a connector is ordered (`sentinel new` prints it,
//! the app's New connector shows it with a Copy button): which connector, where its folder is,
//! the rules it must follow, and the commands that tell it when it is done.

use super::{secrets, title, Order};
use std::path::Path;

/// A path or word as a POSIX shell reads it: bare when it is plain, else single-quoted.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./+:,@%=~".contains(c));
    match plain {
        true => s.to_string(),
        false => format!("'{}'", s.replace('\'', r"'\''")),
    }
}

/// One line: a display name or URL that holds a line break stays on its line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ready prompt for a coding agent to build the connector `order` ordered in `folder`
/// (`<connectors>/<slug>`; the connectors folder is its parent).
pub fn agent_prompt(order: &Order, folder: &Path) -> String {
    let slug = &order.slug;
    let name = one_line(&order.name.clone().unwrap_or_else(|| title(slug)));
    let dir = folder.parent().unwrap_or(Path::new("."));
    let upper = slug.to_uppercase();
    let keys = secrets(&order.auth);
    let keys = match keys.is_empty() {
        true => String::from(" (no keys)"),
        false => {
            let names: Vec<String> = keys
                .iter()
                .map(|k| format!("PROVIDER_{upper}_{k}"))
                .collect();
            format!(", keys {} in the vault", names.join(", "))
        }
    };
    let docs = match &order.docs {
        Some(url) => one_line(url),
        None => "not given: find the provider's official API reference and put its scopes page in `docs_url`".into(),
    };
    let (d, f) = (
        shell_word(&dir.display().to_string()),
        folder.display().to_string(),
    );
    let agents = dir.join("AGENTS.md");
    let skill = dir.join(".agent/skills/build-connector/SKILL.md");
    format!(
        "Build the God Config connector for {name}.\n\
         \n\
         - Slug: {slug}\n\
         - Display name: {name}\n\
         - Auth method: {auth}{keys}\n\
         - API documentation: {docs}\n\
         - Folder: {f} (already ordered with `sentinel new`: manifest.yaml, service.py and README.md hold examples to replace)\n\
         \n\
         Follow {agents} (the laws; they win over anything else) and the skill {skill}, step by step; the folder exists, so skip its `sentinel new` step.\n\
         \n\
         1. Read the provider's official documentation, not a blog or memory.\n\
         2. manifest.yaml: replace the example scopes with the provider's real scope strings, copied exactly as its documentation writes them; never invent a tidier name, and leave out one you cannot confirm. Set `requires_firearm: true` on every dangerous scope: one that moves money, deletes data, sends messages as the customer, reads personal data broadly or changes permissions; when in doubt, gate it. Replace the example operations with real ones, each on the scope that really authorises it.\n\
         3. service.py: one function per operation with the same name, the input schema's properties as keyword-only arguments, standard library only, keys read from PROVIDER_{upper}_<KEY> inside the function, an actionable error on every non-2xx answer.\n\
         4. Run `sentinel check {d} --format json` and fix every diagnostic it reports for {slug}; run it again until there is none.\n\
         5. Run `sentinel sync {d}` (with `--db URL` when God Config's registry is not the default one): {slug} arrives as a draft for a person to review in God Config.\n\
         6. Hand over: which scopes you gated and why, which scope strings you could not confirm, and what you tested.\n\
         \n\
         Never approve the connector (no `sentinel approve`, no Approve button): a person does. Never write or read a `.env` file, and never put a key in a file, a command line, a test or a log. Never edit mcp.py: the sentinel generates it.\n",
        auth = order.auth,
        agents = agents.display(),
        skill = skill.display(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaffold::tests::order;

    #[test]
    fn the_prompt_names_the_connector_its_folder_and_the_rules() {
        let mut o = order("acme_forms", "oauth2");
        o.name = Some("Acme\nForms".into());
        o.docs = Some("https://acme.example.com/docs".into());
        let p = agent_prompt(&o, Path::new("/work/connectors/acme_forms"));
        for needle in [
            "Build the God Config connector for Acme Forms.",
            "- Slug: acme_forms\n",
            "- Auth method: oauth2, keys PROVIDER_ACME_FORMS_CLIENT_ID, PROVIDER_ACME_FORMS_CLIENT_SECRET, PROVIDER_ACME_FORMS_ACCESS_TOKEN in the vault\n",
            "- API documentation: https://acme.example.com/docs\n",
            "- Folder: /work/connectors/acme_forms ",
            "Follow /work/connectors/AGENTS.md ",
            "the skill /work/connectors/.agent/skills/build-connector/SKILL.md",
            "real scope strings",
            "`requires_firearm: true` on every dangerous scope",
            "`sentinel check /work/connectors --format json`",
            "`sentinel sync /work/connectors`",
            "Never approve the connector",
            "Never write or read a `.env` file",
        ] {
            assert!(p.contains(needle), "{needle:?} not in:\n{p}");
        }
    }

    #[test]
    fn no_docs_no_keys_and_a_folder_with_spaces() {
        let p = agent_prompt(
            &order("open_data", "none"),
            Path::new("/home/ana/My Work/connectors/open_data"),
        );
        assert!(p.contains("Display name: Open Data\n"), "{p}");
        assert!(p.contains("Auth method: none (no keys)\n"), "{p}");
        assert!(p.contains("API documentation: not given: find"), "{p}");
        assert!(
            p.contains("`sentinel check '/home/ana/My Work/connectors' --format json`"),
            "{p}"
        );
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
