//! Checking the stored credentials against their issuers' status lists, and keeping the result
//! with each credential.
//!
//! A round checks every stored (signed) credential; each list is fetched once per round
//! (`StatusLists`). The interface asks for a round when the wallet opens online, when the
//! browser comes back online and when the person asks; the engine runs one itself after a
//! credential arrives. Rounds never overlap: a request during a round is answered by the next
//! one, which starts when the current one ends, so a list is never read before the request.
//! A failed check keeps the last result and records why (`StatusRecord::after`).

use std::rc::Rc;

use super::{credentials_stored, Engine};
use crate::adapters::http::FetchHttp;
use crate::adapters::records::{self, CredentialState, StoredCredential};
use crate::adapters::webcrypto::WebCrypto;
use crate::core::credential::standing::StatusRecord;
use crate::core::credential::status_list::{StatusLists, Unchecked};
use crate::core::credential::JwtVc;
use crate::adapters::gunzip::BrowserGzip;

/// Runs a round of status checks and returns once a round that started after this call has
/// finished.
pub(super) async fn refresh(engine: &Rc<Engine>) {
    let wanted = engine.status_wanted.get() + 1;
    engine.status_wanted.set(wanted);
    if engine.status_running.get() {
        while engine.status_done.get() < wanted {
            sleep(100).await;
        }
        return;
    }
    engine.status_running.set(true);
    while engine.status_done.get() < engine.status_wanted.get() {
        let round = engine.status_wanted.get();
        round_of_checks(engine).await;
        engine.status_done.set(round);
    }
    engine.status_running.set(false);
}

/// How long after a credential arrived its first round starts.
const AFTER_RECEIPT_MS: i32 = 1000;

/// Starts a round a moment after a credential arrived, without waiting for it. The issuer has
/// just signed the credential, so its status can wait until "Credential received" is on screen:
/// the round (reading the stored credentials, fetching and verifying the issuer's list, the
/// interface updating its list) then runs while the person reads that screen, not while
/// they wait for it.
pub(super) fn refresh_soon(engine: &Rc<Engine>) {
    let engine = engine.clone();
    wasm_bindgen_futures::spawn_local(async move {
        sleep(AFTER_RECEIPT_MS).await;
        refresh(&engine).await;
    });
}

async fn round_of_checks(engine: &Engine) {
    // Locked: no round (the data key is needed to read the credentials).
    let Ok(access) = engine.access() else { return };
    let Ok(stored) = records::credentials(&engine.db, &access).await else { return };
    let mut lists = StatusLists::new(&FetchHttp, &WebCrypto, &BrowserGzip, super::now_seconds());
    let mut changed = Vec::new();
    for record in stored.into_iter().filter(|r| r.state == CredentialState::Valid) {
        let Some(view) = record.jwt.as_deref().and_then(|jwt| JwtVc::parse(jwt).ok()) else { continue };
        let report = lists.check(&view).await;
        let unchanged_without_status = report.entries == 0 && record.status.as_ref().is_some_and(|s| s.entries == 0);
        if unchanged_without_status {
            continue;
        }
        if let Some(why) = &report.problem {
            web_sys::console::warn_1(&format!("status of credential {}: {why}", record.id).into());
        }
        let problem = report.problem.as_deref().map(Unchecked::kind);
        let next = StatusRecord::after(record.status.as_ref(), report.entries, report.listed, problem, js_sys::Date::now());
        match records::set_status(&engine.db, &record.id, &next).await {
            Ok(true) => changed.push(StoredCredential { status: Some(next), ..record }.to_listed_js()),
            Ok(false) => {}
            Err(e) => web_sys::console::error_1(&format!("status: {e}").into()),
        }
    }
    credentials_stored(&changed);
}

/// Waits `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = super::scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
