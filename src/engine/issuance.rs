//! Receiving credentials (OpenID4VCI): the offer, acceptance, verification before storing,
//! notifications, and deferred issuances resumed whenever the engine runs.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Object;
use wasm_bindgen::JsValue;

use super::{activity, credentials_stored, done, now_seconds, random_id, show, store_changed, Engine, Session};
use crate::adapters::http::FetchHttp;
use crate::adapters::keystore::KeyStore;
use crate::adapters::records::{self, ActivityKind, CredentialState, Outcome, StoredCredential, Summary};
use crate::adapters::webcrypto::WebCrypto;
use crate::bridge::get_str;
use crate::core::credential::summary::{main_type, summarize};
use crate::core::credential::{verify_credential, Expectations};
use crate::core::did_key::DidKey;
use crate::core::oid4vci::{
    notify, DeferredIssuance, DeferredPoll, IssuanceError, Notification, NotificationEvent, OfferSource, ReceivedCredential, ResolvedOffer, TxCode,
};
use crate::core::ports::HolderKeys;
use crate::core::Error;
use crate::i18n::{msg, Lang};
use crate::journeys::{self, issuance as screens};

/// Holder keys that remember which keys an attempt created, so that the keys of credentials
/// that were not stored can be deleted: a failed attempt leaves nothing behind.
struct RecordingKeys<'a> {
    inner: &'a KeyStore,
    created: RefCell<Vec<DidKey>>,
}

impl HolderKeys for RecordingKeys<'_> {
    async fn create_key(&self) -> Result<DidKey, Error> {
        let key = self.inner.create_key().await?;
        self.created.borrow_mut().push(key.clone());
        Ok(key)
    }

    async fn sign_es256(&self, key: &DidKey, message: &[u8]) -> Result<Vec<u8>, Error> {
        self.inner.sign_es256(key, message).await
    }
}

fn issuer_of(offer: &ResolvedOffer, lang: Lang) -> (String, String) {
    (offer.issuer_name(lang.tag()), offer.credential_issuer().as_str().to_owned())
}

fn offered_type(offer: &ResolvedOffer) -> Option<String> {
    offer.credentials().next().and_then(|(_, c)| c.specific_types().pop())
}

pub(super) async fn open(engine: &Rc<Engine>, lang: Lang, source: OfferSource) -> Object {
    match source.resolve(&FetchHttp).await {
        Ok(offer) => {
            let screen = screens::offer(lang, &offer, None);
            let session = engine.add_session(Session::Offer(Rc::new(offer)));
            show(session, &screen)
        }
        Err(e) => {
            let e = Error::from(e);
            engine
                .log(activity(
                    ActivityKind::Issuance,
                    "",
                    "",
                    None,
                    Outcome::Failed,
                    Some(msg(lang, e.user_message())),
                ))
                .await;
            show(0, &journeys::failure(lang, &e))
        }
    }
}

/// The activity entry for an offer left unanswered.
pub(super) fn declined_entry(offer: &ResolvedOffer, lang: Lang) -> records::ActivityEntry {
    let (name, id) = issuer_of(offer, lang);
    activity(ActivityKind::Issuance, &name, &id, offered_type(offer).as_deref(), Outcome::Declined, None)
}

/// The user left an offer without answering it.
pub(super) fn log_declined(engine: &Rc<Engine>, offer: &ResolvedOffer, lang: Lang) {
    let entry = declined_entry(offer, lang);
    let engine = engine.clone();
    wasm_bindgen_futures::spawn_local(async move { engine.log(entry).await });
}

pub(super) async fn act(engine: &Rc<Engine>, lang: Lang, session: u32, offer: Rc<ResolvedOffer>, action: &str, values: &JsValue) -> Object {
    if action == screens::CANCEL {
        engine.sessions.borrow_mut().remove(&session);
        log_declined(engine, &offer, lang);
        return done();
    }
    if action != screens::ACCEPT {
        return show(session, &screens::offer(lang, &offer, None));
    }
    let pin = get_str(values, screens::PIN).map(TxCode::new);
    let store = engine.keys();
    let keys = RecordingKeys { inner: &store, created: RefCell::default() };
    let result = offer.accept(pin, &FetchHttp, &keys, now_seconds()).await;
    let (issuer_name, issuer_id) = issuer_of(&offer, lang);
    // The holder keys of the credentials stored (or pending) from this attempt, and their
    // records for the interface's list.
    let mut kept: Vec<String> = Vec::new();
    let mut added = Vec::new();
    let outcome = match result {
        Err(e @ (IssuanceError::TxCodeRejected { .. } | IssuanceError::TxCodeInvalid(_) | IssuanceError::TxCodeRequired)) => {
            // The offer stays usable: ask for the PIN again, saying why.
            let e = Error::from(e);
            return show(
                session,
                &screens::offer(lang, &offer, Some(msg(lang, e.user_message()))),
            );
        }
        Err(e) => {
            let e = Error::from(e);
            engine.sessions.borrow_mut().remove(&session);
            engine
                .log(activity(
                    ActivityKind::Issuance,
                    &issuer_name,
                    &issuer_id,
                    offered_type(&offer).as_deref(),
                    Outcome::Failed,
                    Some(msg(lang, e.user_message())),
                ))
                .await;
            Err(e)
        }
        Ok(issued) => {
            engine.sessions.borrow_mut().remove(&session);
            let mut results = Vec::new();
            for credential in issued.ready {
                let holder = credential.holder.as_ref().map(|h| h.as_str().to_owned());
                let received = receive(engine, lang, &issuer_name, &issuer_id, credential, None, &mut added).await;
                if matches!(received, screens::Received::Stored { .. }) {
                    kept.extend(holder);
                }
                results.push(received);
            }
            for deferred in issued.deferred {
                let holder = deferred.holder().map(|h| h.as_str().to_owned());
                let received = store_pending(engine, lang, &issuer_name, &issuer_id, deferred, &mut added).await;
                if matches!(received, screens::Received::Pending { .. }) {
                    kept.extend(holder);
                }
                results.push(received);
            }
            for (id, e) in issued.failed {
                let e = Error::from(e);
                engine
                    .log(activity(
                        ActivityKind::Issuance,
                        &issuer_name,
                        &issuer_id,
                        Some(&id),
                        Outcome::Failed,
                        Some(msg(lang, e.user_message())),
                    ))
                    .await;
                results.push(screens::Received::Refused {
                    name: id,
                    reason: msg(lang, e.user_message()).into(),
                });
            }
            Ok(results)
        }
    };
    // Keys created for credentials that were not kept go. The keys were made for this attempt,
    // so no other credential uses them: what was stored above says which stay (reading every
    // stored credential back for their keys cost a transaction and a copy of all of them).
    for key in keys.created.into_inner() {
        if !kept.iter().any(|k| k == key.as_str()) {
            let _ = records::delete_key(&engine.db, key.as_str()).await;
        }
    }
    credentials_stored(&added);
    match outcome {
        Ok(results) => show(0, &screens::outcome(lang, &results)),
        Err(e) => show(0, &journeys::failure(lang, &e)),
    }
}

fn name_of(lang: Lang, types: &[String], configuration_id: &str) -> String {
    let t = main_type(types);
    screens::type_in_words(lang, &t).map(str::to_owned).unwrap_or(if t.is_empty() { configuration_id.to_owned() } else { t })
}

/// Verifies a credential the issuer sent and stores it (replacing the pending record `replaces`;
/// its record as listed joins `added`), or refuses it. The issuer is told when it asked to be
/// and the credential was kept (in the background: the result does not wait for it); a refused
/// credential is followed by nothing sent anywhere (the person is told why).
async fn receive(
    engine: &Rc<Engine>,
    lang: Lang,
    issuer_name: &str,
    issuer_id: &str,
    credential: ReceivedCredential,
    replaces: Option<&StoredCredential>,
    added: &mut Vec<Object>,
) -> screens::Received {
    let name = name_of(lang, &credential.types, &credential.configuration_id);
    let types: Vec<&str> = credential.types.iter().map(String::as_str).collect();
    let expect = Expectations { holder: credential.holder.as_ref(), types: &types, now: now_seconds() };
    let verified = verify_credential(&credential.jwt, &expect, &WebCrypto).await.map_err(Error::from);
    let stored = match verified {
        Ok(verified) => {
            let s = summarize(verified.view());
            let record = StoredCredential {
                id: replaces.map(|r| r.id.clone()).unwrap_or_else(random_id),
                state: CredentialState::Valid,
                jwt: Some(credential.jwt.clone()),
                format: "jwt_vc_json".into(),
                configuration_id: credential.configuration_id.clone(),
                issuer_url: issuer_id.into(),
                issuer_name: Some(issuer_name.into()),
                holder_did: credential.holder.as_ref().map(|h| h.as_str().to_owned()).unwrap_or_default(),
                received_at: replaces.map(|r| r.received_at).unwrap_or_else(js_sys::Date::now),
                summary: Summary {
                    credential_type: s.credential_type.clone(),
                    organisation: s.organisation,
                    mandatee: s.mandatee,
                    valid_from: s.valid_from.map(|t| t as f64),
                    valid_until: s.valid_until.map(|t| t as f64),
                },
                deferred: None,
                notification: credential.notification.as_ref().map(Notification::to_json),
                status: None,
            };
            match engine.access() {
                Ok(access) => match records::put_credential(&engine.db, &record, &access).await {
                    Ok(()) => {
                        added.push(record.to_listed_js());
                        Ok(s.credential_type)
                    }
                    Err(e) => Err(e.into()),
                },
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(e),
    };
    if let (Ok(_), Some(notification)) = (&stored, credential.notification) {
        // Best effort, so the person does not wait for it: sent while the result is on screen.
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = notify(&FetchHttp, &notification, NotificationEvent::Accepted).await {
                web_sys::console::warn_1(&format!("notification: {e}").into());
            }
        });
    }
    match stored {
        Ok(credential_type) => {
            // Its status, with the issuer's list, once the result is on screen (in the background).
            super::status::refresh_soon(engine);
            engine.log(activity(ActivityKind::Issuance, issuer_name, issuer_id, Some(&credential_type), Outcome::Success, None)).await;
            screens::Received::Stored { name }
        }
        Err(e) => {
            engine
                .log(activity(
                    ActivityKind::Issuance,
                    issuer_name,
                    issuer_id,
                    types.last().copied(),
                    Outcome::Failed,
                    Some(msg(lang, e.user_message())),
                ))
                .await;
            screens::Received::Refused {
                name,
                reason: msg(lang, e.user_message()).into(),
            }
        }
    }
}

/// Stores a credential the issuer will sign later, with what is needed to fetch it.
async fn store_pending(
    engine: &Rc<Engine>,
    lang: Lang,
    issuer_name: &str,
    issuer_id: &str,
    deferred: DeferredIssuance,
    added: &mut Vec<Object>,
) -> screens::Received {
    let name = name_of(lang, deferred.types(), deferred.configuration_id());
    let record = StoredCredential {
        id: random_id(),
        state: CredentialState::Pending,
        jwt: None,
        format: "jwt_vc_json".into(),
        configuration_id: deferred.configuration_id().into(),
        issuer_url: issuer_id.into(),
        issuer_name: Some(issuer_name.into()),
        holder_did: deferred.holder().map(|h| h.as_str().to_owned()).unwrap_or_default(),
        received_at: js_sys::Date::now(),
        summary: Summary { credential_type: main_type(deferred.types()), ..Summary::default() },
        deferred: Some(deferred.to_json()),
        notification: None,
        status: None,
    };
    let stored = match engine.access() {
        Ok(access) => records::put_credential(&engine.db, &record, &access).await,
        Err(e) => Err(e),
    };
    match stored {
        Ok(()) => {
            added.push(record.to_listed_js());
            engine.log(activity(ActivityKind::Issuance, issuer_name, issuer_id, Some(&record.summary.credential_type), Outcome::Pending, None)).await;
            schedule_poll(engine.clone(), deferred.next_poll_at());
            screens::Received::Pending { name }
        }
        Err(e) => screens::Received::Refused {
            name,
            reason: msg(lang, Error::from(e).user_message()).into(),
        },
    }
}

/// Deletes holder keys that no credential uses, left when a tab was closed in the middle of an
/// issuance (see `housekeeping::orphan_keys`).
pub(super) async fn forget_orphan_keys(engine: &Engine) {
    let (Ok(keys), Ok(used)) = (engine.keys().list().await, records::holder_dids(&engine.db).await) else { return };
    let keys: Vec<(String, f64)> = keys.into_iter().map(|k| (k.did.to_string(), k.created_at)).collect();
    let used: Vec<&str> = used.iter().map(String::as_str).collect();
    for did in crate::housekeeping::orphan_keys(&keys, &used, js_sys::Date::now()) {
        let _ = records::delete_key(&engine.db, did).await;
    }
}

/// Retry a failed poll (network, issuer error) after this many seconds.
const RETRY_AFTER_ERROR_SECS: i64 = 60;

/// Polls every pending credential that is due, stores what arrived, and sets a timer for the
/// next one due.
pub(super) async fn resume_deferred(engine: Rc<Engine>) {
    // Locked: nothing to read; unlocking resumes (`lock::unlocked`). The pin keeps the key until
    // what arrives is stored.
    let Ok(access) = engine.access() else { return };
    let _pin = super::lock::pin(&engine);
    let Ok(pending) = records::credentials(&engine.db, &access).await else { return };
    let now = now_seconds();
    let mut next_due: Option<i64> = None;
    let mut changed = false;
    for record in pending.into_iter().filter(|c| c.state == CredentialState::Pending) {
        let Some(mut deferred) = record.deferred.as_deref().and_then(|d| DeferredIssuance::from_json(d).ok()) else {
            continue;
        };
        if deferred.next_poll_at() > now {
            next_due = Some(next_due.map_or(deferred.next_poll_at(), |n| n.min(deferred.next_poll_at())));
            continue;
        }
        let issuer_name = record.issuer_name.clone().unwrap_or_default();
        let lang = super::current_lang();
        match deferred.poll(&FetchHttp, now).await {
            Ok(DeferredPoll::Ready(list)) => {
                for credential in list {
                    receive(
                        &engine,
                        lang,
                        &issuer_name,
                        &record.issuer_url,
                        credential,
                        Some(&record),
                        &mut Vec::new(),
                    )
                    .await;
                }
                changed = true;
            }
            Ok(DeferredPoll::Pending { retry_at }) => {
                let updated = StoredCredential { deferred: Some(deferred.to_json()), ..record };
                let _ = records::put_credential(&engine.db, &updated, &access).await;
                next_due = Some(next_due.map_or(retry_at, |n| n.min(retry_at)));
            }
            Err(IssuanceError::TransactionUnknown) => {
                // The issuer forgot it: nothing will ever arrive.
                let _ = records::delete_credential(&engine.db, &record).await;
                let e = Error::from(IssuanceError::TransactionUnknown);
                engine
                    .log(activity(
                        ActivityKind::Issuance,
                        &issuer_name,
                        &record.issuer_url,
                        Some(&record.summary.credential_type),
                        Outcome::Failed,
                        Some(msg(lang, e.user_message())),
                    ))
                    .await;
                changed = true;
            }
            Err(e) => {
                web_sys::console::warn_1(&format!("deferred issuance: {e}").into());
                let retry = now + RETRY_AFTER_ERROR_SECS;
                next_due = Some(next_due.map_or(retry, |n| n.min(retry)));
            }
        }
    }
    if changed {
        store_changed();
    }
    if let Some(at) = next_due {
        schedule_poll(engine, at);
    }
}

/// Runs [`resume_deferred`] at `at` (Unix seconds), replacing a later timer.
fn schedule_poll(engine: Rc<Engine>, at: i64) {
    let delay_ms = ((at - now_seconds()).max(1) * 1000).min(i64::from(i32::MAX)) as i32;
    if let Some(timer) = engine.poll_timer.take() {
        super::scope().clear_timeout_with_handle(timer);
    }
    let again = engine.clone();
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
        again.poll_timer.set(None);
        wasm_bindgen_futures::spawn_local(resume_deferred(again));
    });
    if let Ok(timer) = super::scope().set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), delay_ms) {
        engine.poll_timer.set(Some(timer));
    }
}

use wasm_bindgen::JsCast as _;
