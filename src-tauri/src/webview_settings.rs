//! The web view's engine settings, applied once when the app starts. On Linux (WebKitGTK)
//! accelerated compositing is turned off: the app is forms and tables, which WebKit draws as
//! fast on the CPU, and the GPU compositor costs about 70 MiB of resident memory (measured in
//! docs/benchmarks.md) and is the usual cause of blank windows on some graphics drivers.
//! `CITY_TOOLS_GPU=1` keeps WebKit's default policy. Other platforms keep their defaults.

use tauri::Manager;

/// Applies the settings to every web view the app has opened (the main window's).
pub(crate) fn apply<R: tauri::Runtime>(app: &tauri::App<R>) {
    let keep_gpu = std::env::var("CITY_TOOLS_GPU").is_ok_and(|v| v == "1");
    for webview in app.webview_windows().into_values() {
        if keep_gpu {
            continue;
        }
        if let Err(e) = webview.with_webview(platform::no_gpu_compositing) {
            eprintln!("City Tools: could not change the web view's settings: {e}");
        }
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};

    /// WebKitGTK: never use accelerated compositing.
    pub(super) fn no_gpu_compositing(webview: tauri::webview::PlatformWebview) {
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    /// Other engines keep their defaults.
    pub(super) fn no_gpu_compositing(_webview: tauri::webview::PlatformWebview) {}
}
