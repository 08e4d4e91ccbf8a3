//! Connecting an agent from the app (issue 19): the gateway command an MCP client runs, each
//! client's state with the entry it would get, and the install itself (`flows::agents`, the same
//! as `sentinel mcp install`). The command is the `sentinel` beside the app's executable (else
//! the first one on PATH) serving this workspace's connectors folder and registry; a database
//! password is never written into it.

use crate::error::Result;
use crate::workspace::Workspace;
use godconfig_registry::DbTarget;
use godconfig_sentinel::flows::agents::{self, Client, GatewayCommand, Installed, Places};
use godconfig_sentinel::SentinelError;
use serde::Serialize;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Where the gateway's program was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SentinelSource {
    /// Beside the app's own executable (a build or an install ships both).
    BesideApp,
    /// The first `sentinel` on the app's PATH.
    OnPath,
    /// Neither: the entry names `sentinel`, which the client must find on its own PATH.
    NotFound,
}

/// One MCP client as the Connect screen shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AgentClient {
    pub client: Client,
    pub title: String,
    /// Its user-level configuration file.
    pub path: String,
    /// The file has the gateway's entry.
    pub configured: bool,
    /// What connecting writes into the file, e.g. `{"mcpServers": {"godconfig": {...}}}`.
    pub entry: Value,
}

/// The Connect screen: the command every client gets, and each client.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AgentsView {
    pub command: GatewayCommand,
    pub sentinel: SentinelSource,
    /// The registry's URL held a password, which the command leaves out (the gateway then
    /// reads it from `~/.pgpass` or `PGPASSWORD`).
    pub password_left_out: bool,
    pub clients: Vec<AgentClient>,
}

/// The `sentinel` beside `app_exe`, else the first executable one in `path_var`'s absolute
/// folders, else the bare name.
pub fn find_sentinel(
    app_exe: Option<&Path>,
    path_var: Option<&OsStr>,
) -> (PathBuf, SentinelSource) {
    let name = format!("sentinel{}", std::env::consts::EXE_SUFFIX);
    if let Some(dir) = app_exe.and_then(Path::parent) {
        let beside = dir.join(&name);
        if is_executable(&beside) {
            return (beside, SentinelSource::BesideApp);
        }
    }
    for dir in path_var.map(std::env::split_paths).into_iter().flatten() {
        let candidate = dir.join(&name);
        if dir.is_absolute() && is_executable(&candidate) {
            return (candidate, SentinelSource::OnPath);
        }
    }
    (PathBuf::from(name), SentinelSource::NotFound)
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// The registry as a client's entry names it: a SQLite file's path, or the PostgreSQL URL
/// without its password (true when one was left out).
pub fn registry_for_clients(target: &DbTarget) -> Result<(String, bool)> {
    match target {
        DbTarget::Sqlite(path) => Ok((path.display().to_string(), false)),
        DbTarget::Postgres(url) => {
            url::Url::parse(url).map_err(|_| SentinelError::ClientConfig {
                path: PathBuf::from("--db"),
                reason: "the registry's URL cannot be parsed, so it cannot be written without its password".into(),
            })?;
            Ok(godconfig_registry::without_password(url))
        }
    }
}

/// `sentinel mcp serve --dir DIR --db REGISTRY` with `sentinel` as found; true when a password
/// was left out of the registry's URL.
pub fn command_for(
    (sentinel, source): (&Path, SentinelSource),
    dir: &Path,
    target: &DbTarget,
) -> Result<(GatewayCommand, bool)> {
    let (db, left_out) = registry_for_clients(target)?;
    let mut command = GatewayCommand::new(sentinel, dir, Some(&db))?;
    if source == SentinelSource::NotFound {
        // A bare name stays bare: the client looks it up on its PATH.
        command.program = sentinel.display().to_string();
    }
    Ok((command, left_out))
}

/// Every client under `places`, with the entry `command` would add.
pub fn view_of(
    (command, sentinel, password_left_out): (GatewayCommand, SentinelSource, bool),
    places: &Places,
) -> AgentsView {
    let clients = (agents::states(places).into_iter())
        .map(|s| AgentClient {
            entry: agents::with_entry(s.client, None, &command)
                .map(|(config, _)| Value::Object(config))
                .unwrap_or(Value::Null),
            client: s.client,
            title: s.title,
            path: s.path,
            configured: s.configured,
        })
        .collect();
    AgentsView {
        command,
        sentinel,
        password_left_out,
        clients,
    }
}

fn places() -> Result<Places> {
    Ok(
        Places::of_user().ok_or_else(|| SentinelError::ClientConfig {
            path: PathBuf::from("~"),
            reason: "HOME is not set, so the clients' files cannot be found".into(),
        })?,
    )
}

fn gateway_command(ws: &Workspace) -> Result<(GatewayCommand, SentinelSource, bool)> {
    let exe = std::env::current_exe().ok();
    let path = std::env::var_os("PATH");
    let (sentinel, source) = find_sentinel(exe.as_deref(), path.as_deref());
    let (command, left_out) = command_for((&sentinel, source), &ws.connectors_dir, &ws.target)?;
    Ok((command, source, left_out))
}

/// The Connect screen for the user running the app.
pub fn view(ws: &Workspace) -> Result<AgentsView> {
    Ok(view_of(gateway_command(ws)?, &places()?))
}

/// Adds the gateway's entry to `client`'s file (the rest kept, a backup written).
pub fn connect(ws: &Workspace, client: Client) -> Result<Installed> {
    let (command, _, _) = gateway_command(ws)?;
    Ok(agents::install(client, &places()?, &command)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn executable(path: &Path) {
        std::fs::write(path, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    #[test]
    fn the_sentinel_beside_the_app_wins_then_the_path_then_the_bare_name() {
        let tmp = tempfile::tempdir().unwrap();
        let (app_dir, bin) = (tmp.path().join("app"), tmp.path().join("bin"));
        std::fs::create_dir_all(&app_dir).unwrap();
        std::fs::create_dir_all(&bin).unwrap();
        let app = app_dir.join("godconfig");
        let path = std::env::join_paths(["relative", bin.to_str().unwrap()]).unwrap();

        let (found, source) = find_sentinel(Some(&app), Some(&path));
        assert_eq!(
            (found, source),
            (PathBuf::from("sentinel"), SentinelSource::NotFound)
        );

        executable(&bin.join("sentinel"));
        let (found, source) = find_sentinel(Some(&app), Some(&path));
        assert_eq!(
            (found, source),
            (bin.join("sentinel"), SentinelSource::OnPath)
        );

        executable(&app_dir.join("sentinel"));
        let (found, source) = find_sentinel(Some(&app), Some(&path));
        assert_eq!(
            (found, source),
            (app_dir.join("sentinel"), SentinelSource::BesideApp)
        );
    }

    #[test]
    fn a_password_never_reaches_the_command() {
        for (url, expect) in [
            (
                "postgres://ana:hunter2@db:5432/reg",
                "postgres://ana@db:5432/reg",
            ),
            (
                "postgres://ana@db/reg?sslmode=require&password=hunter2",
                "postgres://ana@db/reg?sslmode=require",
            ),
            (
                "postgres://ana@db/reg?PASSWORD=hunter2",
                "postgres://ana@db/reg",
            ),
        ] {
            let target = DbTarget::parse(url).unwrap();
            let (command, left_out) = command_for(
                (Path::new("/opt/gc/sentinel"), SentinelSource::BesideApp),
                Path::new("/srv/connectors"),
                &target,
            )
            .unwrap();
            assert!(left_out, "{url}");
            assert_eq!(command.args.last().unwrap(), expect);
            assert!(!format!("{command:?}").contains("hunter2"));
        }
        let plain = DbTarget::parse("postgres://ana@db/reg").unwrap();
        assert_eq!(
            registry_for_clients(&plain).unwrap(),
            ("postgres://ana@db/reg".to_string(), false)
        );
    }

    #[test]
    fn the_view_shows_each_client_and_the_entry_connect_writes() {
        let tmp = tempfile::tempdir().unwrap();
        let places = Places {
            home: tmp.path().join("home"),
            config: tmp.path().join("config"),
        };
        let db = tmp.path().join("registry.db");
        std::fs::write(&db, "").unwrap();
        let (command, left_out) = command_for(
            (Path::new("sentinel"), SentinelSource::NotFound),
            tmp.path(),
            &DbTarget::Sqlite(db.clone()),
        )
        .unwrap();
        assert_eq!(command.program, "sentinel", "a bare name stays bare");
        assert!(!left_out);
        agents::install(Client::Cursor, &places, &command).unwrap();

        let view = view_of((command, SentinelSource::NotFound, false), &places);
        let titles: Vec<(&str, bool)> = (view.clients.iter())
            .map(|c| (c.title.as_str(), c.configured))
            .collect();
        assert_eq!(
            titles,
            [
                ("Claude Desktop", false),
                ("Claude Code", false),
                ("Cursor", true),
                ("VS Code", false)
            ]
        );
        let vscode = &view.clients[3];
        assert_eq!(vscode.entry["servers"]["godconfig"]["type"], "stdio");
        let args = &view.clients[0].entry["mcpServers"]["godconfig"]["args"];
        assert_eq!(args[5], db.display().to_string().as_str());
    }
}
