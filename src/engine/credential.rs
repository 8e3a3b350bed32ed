//! A stored credential: its detail screen, and deleting it (with the issuer told).

use std::rc::Rc;

use js_sys::Object;

use super::{activity, done, show, store_changed, Engine, Session};
use crate::adapters::http::FetchHttp;
use crate::adapters::records::{self, ActivityKind, Outcome, StoredCredential};
use crate::adapters::dates::{self, Style};
use crate::adapters::webcrypto::WebCrypto;
use crate::core::credential::{verify_signature_only, JwtVc};
use crate::core::tir::Listing;
use crate::core::oid4vci::{notify, Notification, NotificationEvent};
use crate::core::Error;
use crate::i18n::{msg, Lang};
use crate::journeys::{self, credential as screens};

/// Formats Unix seconds as a date in the user's language.
fn date(lang: Lang) -> impl Fn(i64) -> String {
    move |t| dates::format(lang, Style::Long, false, t as f64 * 1000.0)
}

/// Formats milliseconds since the epoch as a date and time in the user's language.
fn date_time(lang: Lang) -> impl Fn(f64) -> String {
    move |t| dates::format(lang, Style::Long, true, t)
}

/// Whether the credential's issuer is in the trusted issuers registry set in Settings, if one is.
async fn registry_check(engine: &Engine, credential: Option<&JwtVc>) -> Option<screens::RegistryCheck> {
    let url = records::registry(&engine.db).await?;
    let issuer = credential?.issuer_id()?;
    let answer = match crate::core::tir::registry(&url) {
        Ok(registry) => crate::core::tir::lookup(&FetchHttp, &registry, issuer).await,
        Err(e) => Err(e),
    };
    Some(match answer {
        Ok(Listing::Listed { credential_types }) => screens::RegistryCheck::Listed(credential_types),
        Ok(Listing::NotListed) => screens::RegistryCheck::NotListed,
        Err(e) => {
            web_sys::console::warn_1(&format!("trusted issuers registry: {e}").into());
            screens::RegistryCheck::Unchecked
        }
    })
}

async fn detail_screen(engine: &Engine, lang: Lang, record: &StoredCredential) -> crate::screen::Screen {
    let parsed = record.jwt.as_deref().and_then(|jwt| JwtVc::parse(jwt).ok());
    let registry = registry_check(engine, parsed.as_ref()).await;
    let signature = match &record.jwt {
        None => screens::SignatureCheck::Pending,
        Some(jwt) => match verify_signature_only(jwt, &WebCrypto).await {
            Ok(key) => screens::SignatureCheck::Verified(key),
            Err(e) => {
                screens::SignatureCheck::Failed(msg(lang, Error::from(e).user_message()).into())
            }
        },
    };
    let stored = screens::Stored {
        credential: parsed.as_ref(),
        credential_type: &record.summary.credential_type,
        issuer_name: record.issuer_name.as_deref(),
        holder: &record.holder_did,
        signature: &signature,
        status: record.status.as_ref(),
        registry: registry.as_ref(),
        now: js_sys::Date::now(),
    };
    screens::detail(lang, &stored, &date(lang), &date_time(lang))
}

pub(super) async fn open(engine: &Rc<Engine>, lang: Lang, id: &str) -> Object {
    let access = match engine.access() {
        Ok(access) => access,
        Err(e) => return show(0, &journeys::failure(lang, &e.into())),
    };
    match records::credential(&engine.db, id, &access).await {
        Ok(Some(record)) => {
            let screen = detail_screen(engine, lang, &record).await;
            let session = engine.add_session(Session::Credential(Rc::new(record)));
            show(session, &screen)
        }
        Ok(None) => done(),
        Err(e) => show(0, &journeys::failure(lang, &e.into())),
    }
}

pub(super) async fn act(engine: &Rc<Engine>, lang: Lang, session: u32, record: Rc<StoredCredential>, action: &str) -> Object {
    match action {
        screens::DELETE => show(session, &screens::confirm_delete(lang, &record.summary.credential_type, record.notification.is_some())),
        screens::CONFIRM_DELETE => {
            engine.sessions.borrow_mut().remove(&session);
            if let Err(e) = records::delete_credential(&engine.db, &record).await {
                return show(0, &journeys::failure(lang, &e.into()));
            }
            // Tell the issuer, when it asked to be told; deleting does not depend on it.
            if let Some(notification) = record.notification.as_deref().and_then(|n| Notification::from_json(n).ok()) {
                if let Err(e) = notify(&FetchHttp, &notification, NotificationEvent::Deleted).await {
                    web_sys::console::warn_1(&format!("notification: {e}").into());
                }
            }
            let issuer = record.issuer_name.clone().unwrap_or_default();
            engine.log(activity(ActivityKind::Deletion, &issuer, &record.issuer_url, Some(&record.summary.credential_type), Outcome::Success, None)).await;
            store_changed();
            done()
        }
        screens::CHECK_STATUS => {
            super::status::refresh(engine).await;
            // The round wrote the result into the stored record: show that one.
            let fresh = match engine.access() {
                Ok(access) => records::credential(&engine.db, &record.id, &access).await,
                Err(e) => Err(e),
            };
            let record = match fresh {
                Ok(Some(fresh)) => Rc::new(fresh),
                Ok(None) => return done(),
                Err(_) => record,
            };
            engine.sessions.borrow_mut().insert(session, Session::Credential(record.clone()));
            show(session, &detail_screen(engine, lang, &record).await)
        }
        // Keep, or anything else: back to the detail.
        _ => show(session, &detail_screen(engine, lang, &record).await),
    }
}
