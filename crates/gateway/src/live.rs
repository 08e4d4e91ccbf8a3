//! Keeps the catalog current: when the registry changes (an approval, a revocation, a sync that
//! found drift, a policy), the tools are read again; if what an agent sees changed, the client
//! gets `notifications/tools/list_changed`, and the servers of connectors no longer served stop.

use crate::{Catalog, Gateway};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

/// After an error (the database went away), wait this long before watching again.
const RETRY: Duration = Duration::from_secs(2);

pub async fn follow(gw: Gateway) {
    loop {
        let mut watcher = match gw.inner.store.watch().await {
            Ok(w) => w,
            Err(e) => {
                tracing::warn!("cannot watch the registry: {e}; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        // A change may have happened before the watcher opened.
        gw.refresh().await;
        while watcher.changed().await.is_ok() {
            gw.refresh().await;
        }
        tokio::time::sleep(RETRY).await;
    }
}

impl Gateway {
    /// Reads the served tools again; tells the client and stops servers when they changed.
    pub async fn refresh(&self) {
        let served = match self.inner.store.served_tools(None).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!("cannot read the approved tools: {e}");
                return;
            }
        };
        let next = Catalog::build(served);
        if self.catalog().same_as(&next) {
            return;
        }
        let keep: HashSet<String> = next.connectors().map(str::to_string).collect();
        *self
            .inner
            .catalog
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Arc::new(next);
        if let Some(peer) = self.inner.peer.get() {
            if let Err(e) = peer.notify_tool_list_changed().await {
                tracing::warn!("cannot tell the client that the tools changed: {e}");
            }
        }
        self.inner
            .children
            .stop_except(&|slug| keep.contains(slug))
            .await;
    }
}
