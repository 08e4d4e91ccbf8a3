//! The Python that runs the connectors' `mcp.py`, found in the background: checking that a
//! Python can import `mcp` takes a Python start (most of a second), which `initialize` should
//! not wait for. The first call that needs it waits; a Python that cannot be found is reported
//! on stderr as soon as that is known, and refuses every call with the way to fix it.

use godconfig_sentinel::SentinelError;
use std::path::PathBuf;
use tokio::sync::{Mutex, OnceCell};
use tokio::task::JoinHandle;

/// Why no Python is usable: the message and the hint of the error that said so.
pub type NoPython = (String, &'static str);

pub struct Python {
    found: OnceCell<Result<PathBuf, NoPython>>,
    search: Mutex<Option<JoinHandle<Result<PathBuf, SentinelError>>>>,
}

impl Python {
    /// `godconfig_sentinel::python::find`, started now on the blocking pool.
    pub fn find_in_background(explicit: Option<PathBuf>, connectors: PathBuf) -> Python {
        let search = tokio::task::spawn_blocking(move || {
            let found = godconfig_sentinel::python::find(explicit.as_deref(), &connectors)?;
            // The connectors' servers run in their own folders: a relative path would break.
            Ok(match found.components().count() {
                1 => found,
                _ => std::path::absolute(&found).unwrap_or(found),
            })
        });
        Python {
            found: OnceCell::new(),
            search: Mutex::new(Some(search)),
        }
    }

    /// A Python already known (tests, benchmarks).
    pub fn known(path: PathBuf) -> Python {
        Python {
            found: OnceCell::new_with(Some(Ok(path))),
            search: Mutex::new(None),
        }
    }

    pub async fn get(&self) -> Result<&PathBuf, &NoPython> {
        self.found
            .get_or_init(|| async {
                let task = self.search.lock().await.take();
                match task {
                    Some(t) => match t.await {
                        Ok(Ok(p)) => Ok(p),
                        Ok(Err(e)) => Err((e.to_string(), e.hint())),
                        Err(e) => Err((
                            format!("the search for Python failed: {e}"),
                            "run the gateway again",
                        )),
                    },
                    None => Err(("no Python was given".to_string(), "pass --python PATH")),
                }
            })
            .await
            .as_ref()
    }
}
