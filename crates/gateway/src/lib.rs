//! The MCP gateway (`sentinel mcp serve`): one MCP server over stdio that serves agents exactly
//! the tools of approved connectors, forwards each call to the connector's own `mcp.py` with
//! only its keys, asks a person before a call whose policy is `ask`, and writes a receipt for
//! every call. A front end over the operations layer (`godconfig_sentinel::flows::gateway`).

mod call;
mod catalog;
mod children;
mod handler;
mod live;
pub mod python;

pub use catalog::Catalog;
pub use python::Python;

use godconfig_registry::{Registry, RegistryError};
use godconfig_vault::Vault;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

/// What `sentinel mcp serve` was given.
pub struct Options {
    pub store: Registry,
    /// The connectors folder.
    pub dir: PathBuf,
    /// The Python that runs the connectors' `mcp.py` (see `godconfig_sentinel::python::find`).
    pub python: Python,
    pub vault: Vault,
    /// How long a call that asks waits for a person.
    pub ask_timeout: Duration,
    /// Who runs the gateway, for the audit log.
    pub actor: String,
}

/// The server; cheap to clone (every clone is the same gateway).
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

struct Inner {
    store: Registry,
    dir: PathBuf,
    python: Python,
    vault: Vault,
    ask_timeout: Duration,
    actor: String,
    catalog: RwLock<Arc<Catalog>>,
    children: children::Children,
    /// The client, once it has initialized: told when the list changes.
    peer: OnceLock<rmcp::service::Peer<rmcp::service::RoleServer>>,
}

impl Gateway {
    /// Reads the approved tools once; `serve` keeps them current.
    pub async fn new(opts: Options) -> Result<Gateway, RegistryError> {
        // Calls left waiting by a gateway that stopped: nobody can answer them any more.
        // Housekeeping: a failure (another login's clock, say) does not stop the gateway.
        match opts.store.expire_pending_calls(&opts.actor).await {
            Ok(ids) if !ids.is_empty() => {
                tracing::info!(
                    "closed {} call(s) left waiting past their deadline",
                    ids.len()
                )
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("cannot close the calls left waiting: {e}"),
        }
        let catalog = Catalog::build(opts.store.served_tools(None).await?);
        Ok(Gateway {
            inner: Arc::new(Inner {
                store: opts.store,
                dir: opts.dir,
                python: opts.python,
                vault: opts.vault,
                ask_timeout: opts.ask_timeout,
                actor: opts.actor,
                catalog: RwLock::new(Arc::new(catalog)),
                children: children::Children::default(),
                peer: OnceLock::new(),
            }),
        })
    }

    /// The tools served now.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.inner
            .catalog
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Serves one client over this process's stdin and stdout until it goes away.
    pub async fn serve_stdio(self) -> Result<(), String> {
        use rmcp::ServiceExt;
        let live = tokio::spawn(live::follow(self.clone()));
        let gw = self.clone();
        tokio::spawn(async move {
            if let Err((message, hint)) = gw.inner.python.get().await {
                eprintln!("godconfig gateway: error[mcp.python]: {message}\n  hint: {hint}\n  every call will be refused until this is fixed");
            }
        });
        let running = self
            .clone()
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| format!("the MCP handshake failed: {e}"))?;
        let quit = running.waiting().await;
        live.abort();
        self.inner.children.stop_all().await;
        quit.map(|_| ()).map_err(|e| e.to_string())
    }
}
