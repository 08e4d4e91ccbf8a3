//! The connectors' MCP servers: started on their first call, once, kept warm, started again
//! when they die, stopped when their connector is no longer served. Each gets exactly its own
//! keys and the vault's allow-listed environment.

use rmcp::service::{Peer, RoleClient, RunningService};
use rmcp::transport::TokioChildProcess;
use rmcp::ServiceExt;
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Mutex as AsyncMutex;

/// One running connector server.
pub struct Child {
    service: RunningService<RoleClient, ()>,
    /// The fingerprint its files had when it started.
    pub fingerprint: String,
    /// The `mcp.py` it runs, as the sentinel generates it.
    pub stub: String,
}

impl Child {
    pub fn peer(&self) -> Peer<RoleClient> {
        self.service.peer().clone()
    }

    /// False once its process ended (its service loop stops and drops the channel) or it was
    /// cancelled.
    pub fn is_alive(&self) -> bool {
        !self.service.is_closed() && !self.service.peer().is_transport_closed()
    }
}

type Slot = Arc<AsyncMutex<Option<Child>>>;

/// Every connector's slot; a slot's lock is held only while its server starts or stops.
#[derive(Default)]
pub struct Children {
    slots: Mutex<HashMap<String, Slot>>,
}

/// How to start one connector's server.
pub struct Launch<'a> {
    pub python: &'a Path,
    pub stub_path: PathBuf,
    pub env: Vec<(OsString, OsString)>,
    pub fingerprint: String,
    pub stub: String,
}

impl Children {
    pub fn slot(&self, slug: &str) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(slug.to_string()).or_default().clone()
    }

    /// Stops the servers of connectors not in `keep`.
    pub async fn stop_except(&self, keep: &(dyn Fn(&str) -> bool + Sync)) {
        let gone: Vec<(String, Slot)> = {
            let slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            (slots.iter())
                .filter(|(slug, _)| !keep(slug))
                .map(|(s, slot)| (s.clone(), slot.clone()))
                .collect()
        };
        for (slug, slot) in gone {
            if let Some(child) = slot.lock().await.take() {
                tracing::info!("stopping the server of {slug}: no longer served");
                stop(child).await;
            }
        }
    }

    /// Stops every server (the gateway is ending).
    pub async fn stop_all(&self) {
        self.stop_except(&|_| false).await;
    }
}

pub async fn stop(child: Child) {
    let _ = child.service.cancel().await;
}

/// Starts `python mcp.py` in its folder with only `env`, and completes the MCP handshake.
pub async fn start(launch: Launch<'_>) -> Result<Child, String> {
    let dir = launch
        .stub_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut cmd = tokio::process::Command::new(launch.python);
    cmd.arg(&launch.stub_path)
        .current_dir(&dir)
        .env_clear()
        .envs(launch.env)
        .kill_on_drop(true);
    let transport = TokioChildProcess::new(cmd).map_err(|e| {
        format!(
            "cannot start {} {}: {e}",
            launch.python.display(),
            launch.stub_path.display()
        )
    })?;
    let service = ()
        .serve(transport)
        .await
        .map_err(|e| format!("its MCP server did not start: {e}"))?;
    Ok(Child {
        service,
        fingerprint: launch.fingerprint,
        stub: launch.stub,
    })
}
