//! A settings file that cannot be read (broken JSON, no permission): the app still opens, says
//! what is wrong, and never writes over the file. The person fixes it and tries again, or moves
//! it aside and starts from the defaults.

use crate::error::{AppError, Result};
use crate::workspace::App;
use std::path::PathBuf;

impl App {
    /// Why the settings file cannot be read, while it cannot.
    pub fn settings_problem(&self) -> Option<crate::ErrorCode> {
        self.settings_problem.lock().expect("settings lock").clone()
    }

    /// Reads the settings file again (after the person fixed it); still unreadable is an error,
    /// and stays the problem shown.
    pub fn retry_settings(&self) -> Result<()> {
        match self.settings_file.load() {
            Ok(settings) => {
                *self.settings.lock().expect("settings lock") = settings;
                *self.settings_problem.lock().expect("settings lock") = None;
                Ok(())
            }
            Err(e) => {
                *self.settings_problem.lock().expect("settings lock") = Some(e.to_ipc());
                Err(e)
            }
        }
    }

    /// Renames the unreadable file to `settings.json.unreadable-<seconds since 1970>` beside it
    /// (kept, not deleted) and starts from the default settings. Returns where it went.
    pub fn move_settings_aside(&self) -> Result<PathBuf> {
        let path = self.settings_file.path().to_path_buf();
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut aside = path.clone().into_os_string();
        aside.push(format!(".unreadable-{seconds}"));
        let aside = PathBuf::from(aside);
        match std::fs::rename(&path, &aside) {
            Ok(()) => {}
            // Gone meanwhile: nothing to keep.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(AppError::Settings {
                    path: path.display().to_string(),
                    op: "moved aside",
                    reason: e.to_string(),
                })
            }
        }
        *self.settings.lock().expect("settings lock") = Default::default();
        *self.settings_problem.lock().expect("settings lock") = None;
        Ok(aside)
    }
}

#[cfg(test)]
mod tests {
    use crate::settings::SettingsFile;
    use crate::workspace::App;

    #[test]
    fn an_unreadable_file_opens_the_app_is_never_overwritten_and_can_be_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{not json").unwrap();
        let app = App::new(SettingsFile::at(&path)).unwrap();
        let problem = app.settings_problem().unwrap();
        assert_eq!(problem.code.to_string(), "app.settings");
        assert!(
            problem.message.contains("settings.json"),
            "{}",
            problem.message
        );
        let e = app.set_reviewer_name(Some("Ana".into())).unwrap_err();
        assert_eq!(e.code().to_string(), "app.settings");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{not json");

        // Still broken: retrying says so. Fixed by hand: retrying reads it.
        assert!(app.retry_settings().is_err());
        std::fs::write(&path, r#"{"reviewer_name":"Bo"}"#).unwrap();
        app.retry_settings().unwrap();
        assert_eq!(
            (app.settings_problem(), app.reviewer()),
            (None, "Bo".into())
        );

        std::fs::write(&path, "\u{0}").unwrap();
        let app = App::new(SettingsFile::at(&path)).unwrap();
        assert!(app.settings_problem().is_some());
        let aside = app.move_settings_aside().unwrap();
        assert_eq!(std::fs::read_to_string(&aside).unwrap(), "\u{0}");
        assert!(app.settings_problem().is_none());
        app.set_reviewer_name(Some("Cy".into())).unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().contains("Cy"));
    }
}
