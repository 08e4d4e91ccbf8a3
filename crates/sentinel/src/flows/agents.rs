//! Connecting an agent: the gateway's entry in an MCP client's configuration file, in the
//! client's documented location and format. The rest of the file is kept as it was (key order
//! included), a backup of the old file is written beside it, and the new file replaces the old
//! one atomically.

use crate::SentinelError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// The name of the gateway's entry in every client's list of servers.
pub const ENTRY: &str = "godconfig";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Client {
    ClaudeDesktop,
    ClaudeCode,
    Cursor,
    Vscode,
}

impl Client {
    pub const ALL: [Client; 4] = [
        Client::ClaudeDesktop,
        Client::ClaudeCode,
        Client::Cursor,
        Client::Vscode,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Client::ClaudeDesktop => "claude-desktop",
            Client::ClaudeCode => "claude-code",
            Client::Cursor => "cursor",
            Client::Vscode => "vscode",
        }
    }

    pub fn parse(s: &str) -> Option<Client> {
        Client::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            Client::ClaudeDesktop => "Claude Desktop",
            Client::ClaudeCode => "Claude Code",
            Client::Cursor => "Cursor",
            Client::Vscode => "VS Code",
        }
    }

    /// The user-level configuration file: Claude Desktop's `claude_desktop_config.json` in
    /// its config folder, Claude Code's `~/.claude.json`, Cursor's `~/.cursor/mcp.json`, VS
    /// Code's `User/mcp.json`.
    pub fn config_path(self, places: &Places) -> PathBuf {
        match self {
            Client::ClaudeDesktop => places.config.join("Claude/claude_desktop_config.json"),
            Client::ClaudeCode => places.home.join(".claude.json"),
            Client::Cursor => places.home.join(".cursor/mcp.json"),
            Client::Vscode => places.config.join("Code/User/mcp.json"),
        }
    }

    /// VS Code lists servers under `servers`; the others under `mcpServers`.
    fn servers_key(self) -> &'static str {
        match self {
            Client::Vscode => "servers",
            _ => "mcpServers",
        }
    }

    /// The gateway's entry as this client expects it.
    pub fn entry(self, command: &GatewayCommand) -> Value {
        let mut e = Map::new();
        if matches!(self, Client::ClaudeCode | Client::Vscode) {
            e.insert("type".into(), json!("stdio"));
        }
        e.insert("command".into(), json!(command.program));
        e.insert("args".into(), json!(command.args));
        Value::Object(e)
    }
}

/// Where a user's configuration lives: the home folder and the OS's config folder
/// (`~/.config` on Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on Windows).
#[derive(Debug, Clone)]
pub struct Places {
    pub home: PathBuf,
    pub config: PathBuf,
}

impl Places {
    pub fn of_user() -> Option<Places> {
        let home = std::env::var_os("HOME").map(PathBuf::from)?;
        let config = match std::env::var_os("XDG_CONFIG_HOME") {
            Some(c) if cfg!(target_os = "linux") && !c.is_empty() => PathBuf::from(c),
            _ if cfg!(target_os = "macos") => home.join("Library/Application Support"),
            _ if cfg!(windows) => std::env::var_os("APPDATA").map(PathBuf::from)?,
            _ => home.join(".config"),
        };
        Some(Places { home, config })
    }
}

/// How a client starts the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GatewayCommand {
    pub program: String,
    pub args: Vec<String>,
}

impl GatewayCommand {
    /// `sentinel mcp serve --dir DIR [--db URL]`, with absolute paths. A database URL that
    /// holds a password is refused: client configuration files are not secret stores.
    pub fn new(
        sentinel: &Path,
        dir: &Path,
        db: Option<&str>,
    ) -> Result<GatewayCommand, SentinelError> {
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut args = vec![
            "mcp".to_string(),
            "serve".to_string(),
            "--dir".to_string(),
            abs(dir).display().to_string(),
        ];
        if let Some(url) = db {
            if has_password(url) {
                return Err(SentinelError::ClientConfig {
                    path: PathBuf::from("--db"),
                    reason: "the database URL holds a password, which would be written in clear into the client's configuration; use a URL without it and a ~/.pgpass file".into(),
                });
            }
            let url = match Path::new(url).exists() {
                true => abs(Path::new(url)).display().to_string(),
                false => url.to_string(),
            };
            args.extend(["--db".to_string(), url]);
        }
        Ok(GatewayCommand {
            program: abs(sentinel).display().to_string(),
            args,
        })
    }
}

fn has_password(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    u.password().is_some()
        || u.query_pairs()
            .any(|(k, _)| k.eq_ignore_ascii_case("password"))
}

/// What `install` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Installed {
    pub client: Client,
    pub path: String,
    /// The copy of the file as it was, if there was one.
    pub backup: Option<String>,
    /// An entry of that name was there and was replaced.
    pub replaced: bool,
}

/// Whether a client has the gateway's entry, and where its file is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientState {
    pub client: Client,
    pub title: String,
    pub path: String,
    pub configured: bool,
}

fn read_config(path: &Path) -> Result<Option<Map<String, Value>>, SentinelError> {
    let err = |reason: String| SentinelError::ClientConfig {
        path: path.to_path_buf(),
        reason,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(err(e.to_string())),
    };
    if text.trim().is_empty() {
        return Ok(Some(Map::new()));
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(m)) => Ok(Some(m)),
        Ok(_) => Err(err("it is not a JSON object".into())),
        Err(e) => Err(err(format!("it is not valid JSON ({e})"))),
    }
}

/// The file with the gateway's entry added or replaced; nothing else changes.
pub fn with_entry(
    client: Client,
    config: Option<Map<String, Value>>,
    command: &GatewayCommand,
) -> Result<(Map<String, Value>, bool), String> {
    let mut config = config.unwrap_or_default();
    let servers = config
        .entry(client.servers_key())
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(servers) = servers else {
        return Err(format!(
            "its `{}` is not a JSON object",
            client.servers_key()
        ));
    };
    let replaced = servers
        .insert(ENTRY.to_string(), client.entry(command))
        .is_some();
    Ok((config, replaced))
}

/// Adds the gateway to `client`'s configuration under `places`.
pub fn install(
    client: Client,
    places: &Places,
    command: &GatewayCommand,
) -> Result<Installed, SentinelError> {
    let path = client.config_path(places);
    let err = |reason: String| SentinelError::ClientConfig {
        path: path.clone(),
        reason,
    };
    let old = read_config(&path)?;
    let existed = old.is_some();
    let (config, replaced) = with_entry(client, old, command).map_err(err)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
    let backup = if existed {
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let name = format!(
            "{}.godconfig-backup-{stamp}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let b = dir.join(name);
        std::fs::copy(&path, &b).map_err(|e| err(format!("cannot back it up: {e}")))?;
        Some(b.display().to_string())
    } else {
        None
    };
    let mut text =
        serde_json::to_string_pretty(&Value::Object(config)).map_err(|e| err(e.to_string()))?;
    text.push('\n');
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| err(e.to_string()))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(|e| err(e.to_string()))?;
    tmp.persist(&path).map_err(|e| err(e.error.to_string()))?;
    Ok(Installed {
        client,
        path: path.display().to_string(),
        backup,
        replaced,
    })
}

/// Every client, and whether its file has the gateway's entry.
pub fn states(places: &Places) -> Vec<ClientState> {
    Client::ALL
        .into_iter()
        .map(|client| {
            let path = client.config_path(places);
            let configured = read_config(&path).ok().flatten().is_some_and(|c| {
                c.get(client.servers_key())
                    .and_then(Value::as_object)
                    .is_some_and(|s| s.contains_key(ENTRY))
            });
            ClientState {
                client,
                title: client.title().to_string(),
                path: path.display().to_string(),
                configured,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command() -> GatewayCommand {
        GatewayCommand {
            program: "/usr/bin/sentinel".into(),
            args: vec!["mcp".into(), "serve".into()],
        }
    }

    #[test]
    fn the_entry_is_added_and_the_rest_kept_in_order() {
        let old: Map<String, Value> = serde_json::from_str(
            r#"{"theme": "dark", "mcpServers": {"other": {"command": "x"}}, "zeta": 1}"#,
        )
        .unwrap();
        let (new, replaced) = with_entry(Client::Cursor, Some(old), &command()).unwrap();
        assert!(!replaced);
        let keys: Vec<&String> = new.keys().collect();
        assert_eq!(keys, ["theme", "mcpServers", "zeta"]);
        let servers = new["mcpServers"].as_object().unwrap();
        assert_eq!(servers.keys().collect::<Vec<_>>(), ["other", "godconfig"]);
        assert_eq!(servers["godconfig"]["command"], "/usr/bin/sentinel");
    }

    #[test]
    fn vscode_uses_servers_with_a_type_and_a_second_install_replaces() {
        let (once, _) = with_entry(Client::Vscode, None, &command()).unwrap();
        assert_eq!(once["servers"]["godconfig"]["type"], "stdio");
        let (twice, replaced) = with_entry(Client::Vscode, Some(once), &command()).unwrap();
        assert!(replaced);
        assert_eq!(twice["servers"].as_object().unwrap().len(), 1);
    }

    #[test]
    fn a_servers_value_that_is_not_an_object_is_refused() {
        let old: Map<String, Value> = serde_json::from_str(r#"{"mcpServers": []}"#).unwrap();
        let e = with_entry(Client::ClaudeDesktop, Some(old), &command()).unwrap_err();
        assert!(e.contains("mcpServers"), "{e}");
    }

    #[test]
    fn a_database_password_is_never_written() {
        for url in [
            "postgres://u:secret@h/db",
            "postgres://u@h/db?password=secret",
        ] {
            let e =
                GatewayCommand::new(Path::new("sentinel"), Path::new("c"), Some(url)).unwrap_err();
            assert_eq!(e.code(), "mcp.client_config");
            assert!(!e.to_string().contains("secret"));
        }
        let ok = GatewayCommand::new(
            Path::new("sentinel"),
            Path::new("c"),
            Some("postgres://u@h/db"),
        )
        .unwrap();
        assert_eq!(
            ok.args[4..],
            ["--db".to_string(), "postgres://u@h/db".to_string()]
        );
    }
}
