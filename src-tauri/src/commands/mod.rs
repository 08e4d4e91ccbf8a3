//! Tauri commands: each takes the state, calls the domain, maps the error. They are async so
//! database work never runs on the UI thread.

pub mod audit;
pub mod review;
pub mod sync;
pub mod workspace;

use godconfig_desktop::App;
use tauri::State;

pub type AppState<'a> = State<'a, App>;
