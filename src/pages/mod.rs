//! One module per page. Each is drawn with the DOM builder into a `dom_view`, so that all are
//! views of one type.

mod activity;
mod credentials;
pub mod lock;
mod not_found;
mod scan;
mod settings;

use leptos::prelude::*;

use crate::app::Wallet;
use crate::routes::Route;

pub fn page(wallet: Wallet, route: Route) -> AnyView {
    match route {
        Route::Credentials => view! { <credentials::CredentialsPage wallet/> }.into_inner(),
        Route::Scan => view! { <scan::ScanPage wallet/> }.into_inner(),
        Route::Activity => view! { <activity::ActivityPage wallet/> }.into_inner(),
        Route::Settings => view! { <settings::SettingsPage wallet/> }.into_inner(),
        Route::NotFound => view! { <not_found::NotFoundPage wallet/> }.into_inner(),
    }
}
