//! The wallet's pages and their paths.
//!
//! DOME's issuer and verifier open the wallet at fixed paths (`/tabs/home`, `/protocol-callback`,
//! `/protocol/callback`); those land on the credentials page, where the link's query is handled.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Credentials,
    Scan,
    Activity,
    Settings,
    NotFound,
}

impl Route {
    pub fn parse(path: &str) -> Route {
        match path.trim_end_matches('/') {
            "" | "/credentials" | "/tabs/home" | "/protocol-callback" | "/protocol/callback" => {
                Route::Credentials
            }
            "/scan" => Route::Scan,
            "/activity" => Route::Activity,
            "/settings" => Route::Settings,
            _ => Route::NotFound,
        }
    }

    pub fn path(&self) -> &'static str {
        match self {
            Route::Credentials | Route::NotFound => "/",
            Route::Scan => "/scan",
            Route::Activity => "/activity",
            Route::Settings => "/settings",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dome_entry_paths_land_on_credentials() {
        for path in ["/", "", "/tabs/home", "/protocol-callback", "/protocol/callback", "/credentials/"] {
            assert_eq!(Route::parse(path), Route::Credentials, "{path}");
        }
    }

    #[test]
    fn paths_round_trip() {
        for route in [Route::Credentials, Route::Scan, Route::Activity, Route::Settings] {
            assert_eq!(Route::parse(route.path()), route);
        }
        assert_eq!(Route::parse("/nope"), Route::NotFound);
    }
}
