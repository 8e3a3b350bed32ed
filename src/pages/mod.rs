//! One module per page. Each is drawn with the DOM builder into its own `<div>` (`dom_view`).

mod activity;
mod credentials;
pub mod lock;
mod not_found;
mod scan;
mod settings;

use web_sys::Element;

use crate::app::Wallet;
use crate::routes::Route;

pub fn page(wallet: Wallet, route: Route) -> Element {
    match route {
        Route::Credentials => credentials::credentials_page(wallet),
        Route::Scan => scan::scan_page(wallet),
        Route::Activity => activity::activity_page(wallet),
        Route::Settings => settings::settings_page(wallet),
        Route::NotFound => not_found::not_found_page(wallet),
    }
}
