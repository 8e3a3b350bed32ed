//! One module per page.

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
        Route::Credentials => view! { <credentials::CredentialsPage wallet/> }.into_any(),
        Route::Scan => view! { <scan::ScanPage wallet/> }.into_any(),
        Route::Activity => view! { <activity::ActivityPage wallet/> }.into_any(),
        Route::Settings => view! { <settings::SettingsPage wallet/> }.into_any(),
        Route::NotFound => view! { <not_found::NotFoundPage wallet/> }.into_any(),
    }
}
