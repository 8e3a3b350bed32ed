//! Presenting credentials (OpenID4VP): verify who asks, match the stored credentials, show the
//! consent screen, and only on Share sign and send.

use std::rc::Rc;

use js_sys::Object;
use serde_json::Value;
use wasm_bindgen::JsValue;

use super::{activity, done, now_seconds, show, store_changed, Engine, Session};
use crate::adapters::http::FetchHttp;
use crate::adapters::records::{self, ActivityKind, CredentialState, Outcome as Logged, StoredCredential};
use crate::adapters::webcrypto::WebCrypto;
use crate::bridge::{get_str, obj};
use crate::core::credential::JwtVc;
use crate::core::did_key::DidKey;
use crate::core::invocation::LinkParams;
use crate::core::oid4vp::{AuthorizationRequest, Candidate, Choice, Matches, Outcome, VerifiedRequest};
use crate::core::Error;
use crate::i18n::{msg, Lang, Msg};
use crate::journeys::{self, issuance::type_in_words, presentation as screens};

/// A stored credential in the form matching and presenting need, owning its data.
struct Held {
    id: String,
    types: Vec<String>,
    payload: Value,
    jwt: String,
    holder: DidKey,
    label: screens::CredentialLabel,
    credential_type: String,
}

impl Held {
    fn candidate(&self) -> Candidate<'_> {
        Candidate { id: &self.id, format: "jwt_vc_json", types: &self.types, payload: &self.payload, jwt: &self.jwt, holder: &self.holder }
    }
}

fn held(lang: Lang, record: StoredCredential) -> Option<Held> {
    let jwt = record.jwt?;
    let view = JwtVc::parse(&jwt).ok()?;
    let payload = Value::Object(view.jws().claims().ok()?);
    let holder = DidKey::parse(&record.holder_did).ok()?;
    let s = &record.summary;
    let kind = type_in_words(lang, &s.credential_type).map(str::to_owned).unwrap_or_else(|| s.credential_type.clone());
    let title = crate::core::collections::join_present(&[Some(kind.as_str()), s.mandatee.as_deref(), s.organisation.as_deref()], " · ");
    Some(Held {
        types: view.vc().types.clone(),
        payload,
        jwt,
        holder,
        label: screens::CredentialLabel { id: record.id.clone(), title },
        credential_type: s.credential_type.clone(),
        id: record.id,
    })
}

/// The request in progress and the wallet's credentials as they were when it was shown.
pub(super) struct RequestSession {
    request: VerifiedRequest,
    matches: Matches,
    held: Vec<Held>,
}

impl RequestSession {
    fn verifier_name(&self) -> String {
        self.request.hints().name.clone().unwrap_or_else(|| self.request.verifier().label())
    }

    fn candidates(&self) -> Vec<Candidate<'_>> {
        self.held.iter().map(Held::candidate).collect()
    }
}

async fn held_credentials(engine: &Engine, lang: Lang) -> Vec<Held> {
    let records = match engine.access() {
        Ok(access) => records::credentials(&engine.db, &access).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    records.into_iter().filter(|c| c.state == CredentialState::Valid).filter_map(|c| held(lang, c)).collect()
}

pub(super) async fn open(engine: &Rc<Engine>, lang: Lang, params: LinkParams) -> Object {
    let pairs: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let request =
        match AuthorizationRequest::from_link_params(&pairs, &FetchHttp, &WebCrypto, now_seconds())
            .await
        {
            Ok(request) => request,
            Err(e) => {
                let e = Error::from(e);
                let client = params
                    .get("client_id")
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect::<String>();
                engine
                    .log(activity(
                        ActivityKind::Presentation,
                        &client,
                        &client,
                        None,
                        Logged::Failed,
                        Some(msg(lang, e.user_message())),
                    ))
                    .await;
                return show(0, &journeys::failure(lang, &e));
            }
        };
    let held = held_credentials(engine, lang).await;
    let candidates: Vec<Candidate<'_>> = held.iter().map(Held::candidate).collect();
    let matches = request.match_credentials(&candidates);
    let labels: Vec<screens::CredentialLabel> = held.iter().map(|h| h.label.clone()).collect();
    let screen = if matches.is_satisfiable() {
        screens::consent(lang, &request, &matches, &labels)
    } else {
        screens::no_match(lang, &request, &matches)
    };
    let session = engine.add_session(Session::Request(Rc::new(RequestSession { request, matches, held })));
    show(session, &screen)
}

/// The choices on the consent screen: the selected radio per query, else the only candidate.
fn choices(session: &RequestSession, values: &JsValue) -> Vec<Choice> {
    session
        .matches
        .default_choices()
        .into_iter()
        .map(|default| {
            let picked = get_str(values, &format!("{}{}", screens::CHOICE_PREFIX, default.query_id));
            match picked {
                Some(candidate_id) => Choice { query_id: default.query_id, candidate_id },
                None => default,
            }
        })
        .collect()
}

fn log_entry(session: &RequestSession, chosen: &[Choice], outcome: Logged, reason: Option<&str>) -> records::ActivityEntry {
    let credential_type = chosen
        .first()
        .and_then(|c| session.held.iter().find(|h| h.id == c.candidate_id))
        .map(|h| h.credential_type.clone());
    let claims: Vec<String> = if outcome == Logged::Success {
        chosen
            .iter()
            .filter_map(|c| {
                session.matches.queries.iter().find(|q| q.id == c.query_id)?.candidates.iter().find(|m| m.id == c.candidate_id)
            })
            .flat_map(|m| m.disclosed.iter().cloned())
            .collect()
    } else {
        Vec::new()
    };
    let mut entry = activity(
        ActivityKind::Presentation,
        &session.verifier_name(),
        session.request.verifier().client_id(),
        credential_type.as_deref(),
        outcome,
        reason,
    );
    entry.claims = claims;
    entry
}

/// The activity entry for a request left unanswered.
pub(super) fn left_entry(session: &RequestSession) -> records::ActivityEntry {
    log_entry(session, &[], Logged::Declined, None)
}

/// The person left the consent screen without answering: nothing is sent, the log says so.
pub(super) fn log_left(engine: &Rc<Engine>, session: &RequestSession) {
    let entry = left_entry(session);
    let engine = engine.clone();
    wasm_bindgen_futures::spawn_local(async move { engine.log(entry).await });
}

pub(super) async fn act(engine: &Rc<Engine>, lang: Lang, id: u32, session: Rc<RequestSession>, action: &str, values: &JsValue) -> Object {
    let declining = action == screens::DECLINE;
    if !declining && action != screens::SHARE {
        return done();
    }
    engine.sessions.borrow_mut().remove(&id);
    // A request is answered at most once, whatever the answer.
    match records::remember_request(&engine.db, &session.request.replay_key(), js_sys::Date::now()).await {
        Ok(true) => {}
        Ok(false) => {
            engine.log(log_entry(&session, &[], Logged::Failed, Some(msg(lang, Msg::AlreadyAnswered)))).await;
            store_changed();
            return show(0, &journeys::problem(lang, msg(lang, Msg::AlreadyAnswered)));
        }
        Err(e) => return show(0, &journeys::failure(lang, &e.into())),
    }
    if declining {
        if let Ok(answer) = session.request.decline(&WebCrypto, &WebCrypto).await {
            // Best effort: the person declined whether or not the verifier hears it.
            let _ = answer.send(&FetchHttp).await;
        }
        engine.log(log_entry(&session, &[], Logged::Declined, None)).await;
        store_changed();
        return done();
    }
    let chosen = choices(&session, values);
    let candidates = session.candidates();
    let sent = match session.request.respond(&chosen, &candidates, &engine.keys(), &WebCrypto, &WebCrypto, now_seconds()).await {
        Ok(answer) => answer.send(&FetchHttp).await,
        Err(e) => Err(e),
    };
    let reply = match sent {
        Ok(outcome) => {
            engine.log(log_entry(&session, &chosen, Logged::Success, None)).await;
            match &outcome {
                Outcome::Redirect(url) => {
                    obj(&[("done", true.into()), ("navigate", url.as_str().into())])
                }
                Outcome::Done => show(
                    0,
                    &screens::shared(lang, msg(lang, outcome.user_message()), None),
                ),
                Outcome::RedirectRefused { .. } => show(
                    0,
                    &screens::shared(
                        lang,
                        msg(lang, Msg::SharedTitle),
                        Some(msg(lang, outcome.user_message())),
                    ),
                ),
            }
        }
        Err(e) => {
            let e = Error::from(e);
            engine
                .log(log_entry(
                    &session,
                    &chosen,
                    Logged::Failed,
                    Some(msg(lang, e.user_message())),
                ))
                .await;
            show(0, &journeys::failure(lang, &e))
        }
    };
    store_changed();
    reply
}
