//! The issuance flow as types over the ports: [`OfferSource::resolve`] → [`ResolvedOffer`] →
//! [`ResolvedOffer::accept`] → [`Issued`] (credentials and/or [`DeferredIssuance`]s) →
//! [`notify`].
//!
//! Round trips: the offer (once: fetching DOME's offer URL e-mails the PIN, so it is never
//! fetched again, not even to retry a wrong PIN), then the issuer metadata and the authorization
//! server metadata *together*: the AS is presumed to be the one the grant names, else the
//! credential issuer itself (true for DOME and Credo); only if the issuer metadata names another
//! one is it discovered afterwards.

use std::cell::Cell;

use serde_json::{Map, Value};

use super::messages::{self, CredentialAnswer, RequestForm, Token, MAX_CREDENTIAL_RESPONSE_BYTES, MAX_NONCE_RESPONSE_BYTES, MAX_NOTIFICATION_RESPONSE_BYTES, MAX_TOKEN_RESPONSE_BYTES};
use super::metadata::{self, AuthServerMetadata, CredentialConfiguration, Display, IssuerMetadata};
use super::offer::{AccessToken, CredentialOffer, OfferSource, TxCode, TxCodeSpec, MAX_OFFER_BYTES};
use super::{IssuanceError, Step};
use crate::core::collections::lookup;
use crate::core::did_key::DidKey;
use crate::core::error::{Error, NetworkError};
use crate::core::json;
use crate::core::net::{self, PeerUrl};
use crate::core::ports::{HolderKeys, HttpClient};

/// The deferred endpoint's `interval` is kept within these bounds (seconds): the spec's
/// default when absent is 5 s; DOME says 3600.
const DEFAULT_INTERVAL_SECS: u64 = 5;
const MAX_INTERVAL_SECS: u64 = 24 * 3600;

fn network(step: Step) -> impl Fn(NetworkError) -> IssuanceError {
    move |error| IssuanceError::Network { step, error }
}

fn keys_error(error: Error) -> IssuanceError {
    IssuanceError::Keys(Box::new(error))
}

impl OfferSource {
    /// Fetches the offer (by reference: exactly once) and the metadata, and checks them.
    ///
    /// # Errors
    /// [`IssuanceError::OfferExpired`] when the offer URL answers 404, 410 or 400;
    /// [`IssuanceError::Offer`] for an invalid offer; [`IssuanceError::Metadata`] or
    /// [`IssuanceError::MetadataNotFound`] for missing or inconsistent metadata;
    /// [`IssuanceError::UnsupportedCredential`] when an offered credential is not one the
    /// wallet can hold; [`IssuanceError::Network`] when a peer cannot be reached.
    pub async fn resolve(self, http: &impl HttpClient) -> Result<ResolvedOffer, IssuanceError> {
        let offer = match self {
            OfferSource::ByValue(offer) => *offer,
            OfferSource::ByReference(url) => fetch_offer(http, &url).await?,
        };
        let presumed_as = offer.grant().authorization_server().unwrap_or(offer.credential_issuer()).clone();
        let (issuer, presumed) =
            net::join(metadata::fetch_issuer_metadata(http, &offer), metadata::discover_authorization_server(http, &presumed_as)).await;
        let issuer = issuer?;
        let as_id = issuer
            .choose_authorization_server(&offer)
            .map_err(|error| IssuanceError::Metadata { step: Step::IssuerMetadata, error })?;
        let authorization_server =
            if *as_id == presumed_as { presumed? } else { metadata::discover_authorization_server(http, as_id).await? };
        // Every offered configuration is in `issuer` (checked when it was parsed).
        for id in offer.configuration_ids() {
            if let Some(reason) = issuer.configuration(id).and_then(CredentialConfiguration::unsupported_reason) {
                return Err(IssuanceError::UnsupportedCredential { id: id.clone(), reason });
            }
        }
        Ok(ResolvedOffer { offer, issuer, authorization_server, code_used: Cell::new(false) })
    }
}

async fn fetch_offer(http: &impl HttpClient, url: &PeerUrl) -> Result<CredentialOffer, IssuanceError> {
    let reply = net::get(http, url, MAX_OFFER_BYTES).await.map_err(network(Step::Offer))?;
    match reply.status {
        200..=299 => Ok(CredentialOffer::from_json(&reply.body)?),
        400 | 404 | 410 => Err(IssuanceError::OfferExpired { step: Step::Offer, status: reply.status }),
        _ => Err(IssuanceError::refused(Step::Offer, &reply)),
    }
}

/// An offer with its checked metadata: what the offer screen shows, and [`Self::accept`].
#[derive(Debug)]
pub struct ResolvedOffer {
    offer: CredentialOffer,
    issuer: IssuerMetadata,
    authorization_server: AuthServerMetadata,
    /// Set once a token was obtained: the pre-authorized code is single use.
    code_used: Cell<bool>,
}

/// What the issuer sent for the offer, not yet verified: the caller verifies each credential
/// (signature, holder binding to `holder`, `types`), stores it, then calls [`notify`].
#[derive(Debug)]
pub struct ReceivedCredential {
    /// The credential, a compact JWS (structure checked, signature not verified).
    pub jwt: String,
    pub configuration_id: String,
    /// The configuration's specific types (without `VerifiableCredential`).
    pub types: Vec<String>,
    /// The fresh key the credential was requested for; `None` when the configuration has no
    /// key binding (then no proof was sent).
    pub holder: Option<DidKey>,
    /// How to tell the issuer what became of it; present on the first credential of an answer
    /// that had a `notification_id`, when the issuer has a notification endpoint.
    pub notification: Option<Notification>,
}

/// The outcome of [`ResolvedOffer::accept`]: at least one credential or deferred issuance.
#[derive(Debug, Default)]
pub struct Issued {
    pub ready: Vec<ReceivedCredential>,
    /// Credentials the issuer will sign later (DOME: after a manual step, `interval` 3600 s).
    /// Store them: they must survive reloads.
    pub deferred: Vec<DeferredIssuance>,
    /// Offered configurations that failed while others succeeded.
    pub failed: Vec<(String, IssuanceError)>,
}

impl ResolvedOffer {
    /// The credential issuer identifier (exactly as in the offer and metadata).
    pub fn credential_issuer(&self) -> &PeerUrl {
        self.offer.credential_issuer()
    }

    pub fn issuer_display(&self, lang: &str) -> Option<&Display> {
        self.issuer.display_for(lang)
    }

    /// The issuer's display name in `lang`, else its host.
    pub fn issuer_name(&self, lang: &str) -> String {
        self.issuer_display(lang).and_then(|d| d.name.clone()).unwrap_or_else(|| self.credential_issuer().host().to_owned())
    }

    /// The offered credentials, in offer order: configuration id and its description (use
    /// [`CredentialConfiguration::name_for`], `display_for`, `specific_types`).
    pub fn credentials(&self) -> impl Iterator<Item = (&str, &CredentialConfiguration)> {
        self.offer.configuration_ids().iter().filter_map(|id| self.issuer.configuration(id).map(|c| (id.as_str(), c)))
    }

    /// `Some` when the person must type a PIN: its expected length, input mode, and the
    /// issuer's hint.
    pub fn tx_code(&self) -> Option<&TxCodeSpec> {
        self.offer.grant().tx_code()
    }

    pub fn metadata(&self) -> &IssuerMetadata {
        &self.issuer
    }

    pub fn authorization_server(&self) -> &AuthServerMetadata {
        &self.authorization_server
    }

    /// Redeems the offer: token request (with the PIN), then one credential request per offered
    /// configuration, each with a fresh holder key from `keys`. `now` is Unix seconds.
    ///
    /// Takes `&self` so that a rejected PIN ([`IssuanceError::TxCodeRejected`]) can be retried
    /// with the same offer, which is not fetched again. Once a token was obtained the code is
    /// spent, and a further call fails with [`IssuanceError::AlreadyRedeemed`] without sending.
    ///
    /// # Errors
    /// [`IssuanceError::TxCodeRequired`] / [`IssuanceError::TxCodeInvalid`] before anything is
    /// sent; [`IssuanceError::TxCodeRejected`]; [`IssuanceError::OfferExpired`];
    /// [`IssuanceError::DpopRequired`]; [`IssuanceError::Refused`] with the issuer's code;
    /// [`IssuanceError::BadResponse`]; [`IssuanceError::Network`]; [`IssuanceError::Keys`].
    /// When several credentials were offered and only some failed, the failures are in
    /// [`Issued::failed`].
    pub async fn accept(
        &self,
        tx_code: Option<TxCode>,
        http: &impl HttpClient,
        keys: &impl HolderKeys,
        now: i64,
    ) -> Result<Issued, IssuanceError> {
        if self.code_used.get() {
            return Err(IssuanceError::AlreadyRedeemed);
        }
        let pin = match (self.tx_code(), tx_code.as_ref()) {
            (Some(spec), Some(pin)) => {
                spec.validate(pin.secret()).map_err(IssuanceError::TxCodeInvalid)?;
                Some(pin)
            }
            (Some(_), None) => return Err(IssuanceError::TxCodeRequired),
            // A PIN the offer did not ask for is not sent anywhere.
            (None, _) => None,
        };
        let token = self.request_token(http, pin).await?;
        self.code_used.set(true);

        let form = RequestForm::choose(self.issuer.nonce_endpoint().is_some(), token.c_nonce.is_some());
        let c_nonce = token.c_nonce.clone();
        let mut session = Session { token, form, c_nonce, now };
        let mut issued = Issued::default();
        for id in self.offer.configuration_ids() {
            match self.request_credential(http, keys, &mut session, id).await {
                Ok(Outcome::Ready(list)) => issued.ready.extend(list),
                Ok(Outcome::Deferred(deferred)) => issued.deferred.push(*deferred),
                Err(error) => issued.failed.push((id.clone(), error)),
            }
        }
        if issued.ready.is_empty() && issued.deferred.is_empty() && !issued.failed.is_empty() {
            let (_, error) = issued.failed.swap_remove(0);
            return Err(error);
        }
        Ok(issued)
    }

    async fn request_token(&self, http: &impl HttpClient, pin: Option<&TxCode>) -> Result<Token, IssuanceError> {
        let grant = self.offer.grant();
        let form = messages::token_request(grant.code(), pin, grant.legacy_user_pin());
        let endpoint = self.authorization_server.token_endpoint();
        let reply = net::post_form(http, endpoint, &form, MAX_TOKEN_RESPONSE_BYTES).await.map_err(network(Step::Token))?;
        if reply.is_success() {
            return messages::parse_token(&reply);
        }
        let invalid_grant = reply.status == 400 && reply.error().code() == Some("invalid_grant");
        match (pin.is_some(), invalid_grant, reply.status) {
            // Standard: invalid_grant. DOME: an unhandled exception, HTTP 500, for a wrong or
            // expired PIN. Either way the person can try another PIN.
            (true, true, _) | (true, false, 500) => {
                Err(IssuanceError::TxCodeRejected { status: reply.status, code: reply.error().code().map(str::to_owned) })
            }
            (false, true, _) => Err(IssuanceError::OfferExpired { step: Step::Token, status: reply.status }),
            _ => Err(IssuanceError::refused(Step::Token, &reply)),
        }
    }

    async fn request_credential(
        &self,
        http: &impl HttpClient,
        keys: &impl HolderKeys,
        session: &mut Session,
        id: &str,
    ) -> Result<Outcome, IssuanceError> {
        let config = self
            .issuer
            .configuration(id)
            .ok_or_else(|| IssuanceError::UnsupportedCredential { id: id.to_owned(), reason: "it is missing from the metadata" })?;
        let identifier = match session.form {
            RequestForm::DomeV16 => None,
            _ => lookup(&session.token.credential_identifiers, id).and_then(|ids| ids.first()).map(String::as_str),
        };
        let holder = if config.needs_proof() { Some(keys.create_key().await.map_err(keys_error)?) } else { None };
        let mut nonce = match (&holder, self.issuer.nonce_endpoint()) {
            (None, _) => None,
            (Some(_), Some(endpoint)) => Some(fetch_nonce(http, endpoint).await?),
            (Some(_), None) => session.c_nonce.clone(),
        };
        let issuer = self.credential_issuer().as_str();
        let mut retried = false;
        loop {
            let proof = match &holder {
                Some(holder) => {
                    Some(messages::proof_jwt(keys, holder, session.form, issuer, nonce.as_deref(), session.now).await.map_err(keys_error)?)
                }
                None => None,
            };
            let body = messages::credential_request(session.form, id, identifier, config, proof.as_deref());
            let reply = net::post_json(
                http,
                self.issuer.credential_endpoint(),
                &body,
                Some(session.token.access_token.secret()),
                MAX_CREDENTIAL_RESPONSE_BYTES,
            )
            .await
            .map_err(network(Step::Credential))?;
            if reply.is_success() {
                return match messages::parse_credential_answer(&reply, Step::Credential)? {
                    CredentialAnswer::Issued { credentials, notification_id, c_nonce } => {
                        if c_nonce.is_some() {
                            session.c_nonce = c_nonce;
                        }
                        let notification = self.notification(&session.token.access_token, session.form, notification_id);
                        Ok(Outcome::Ready(received(credentials, id, &config.specific_types(), &holder, notification)))
                    }
                    CredentialAnswer::Deferred { transaction_id, interval, notification_id } => {
                        let endpoint = self.issuer.deferred_credential_endpoint().ok_or_else(|| IssuanceError::BadResponse {
                            step: Step::Credential,
                            detail: "deferred issuance, but the metadata has no deferred_credential_endpoint".into(),
                        })?;
                        let interval = clamp_interval(interval);
                        Ok(Outcome::Deferred(Box::new(DeferredIssuance {
                            credential_issuer: self.credential_issuer().clone(),
                            endpoint: endpoint.clone(),
                            transaction_id,
                            access_token: session.token.access_token.duplicate(),
                            interval_secs: interval,
                            next_poll_at: session.now.saturating_add_unsigned(interval),
                            configuration_id: id.to_owned(),
                            types: config.specific_types(),
                            holder,
                            notification_endpoint: self.issuer.notification_endpoint().cloned(),
                            notification_id,
                            dome_names: session.form.dome_names(),
                        })))
                    }
                };
            }
            // One retry with a fresh nonce when the issuer says the nonce was the problem.
            if !retried && holder.is_some() && reply.status == 400 {
                let extras = messages::error_extras(&reply);
                let fresh = match (reply.error().code(), extras.c_nonce, self.issuer.nonce_endpoint()) {
                    (Some("invalid_nonce" | "invalid_proof"), Some(c_nonce), _) => Some(c_nonce),
                    (Some("invalid_nonce"), None, Some(endpoint)) => Some(fetch_nonce(http, endpoint).await?),
                    _ => None,
                };
                if fresh.is_some() {
                    nonce = fresh;
                    retried = true;
                    continue;
                }
            }
            return Err(IssuanceError::refused(Step::Credential, &reply));
        }
    }

    fn notification(&self, token: &AccessToken, form: RequestForm, id: Option<String>) -> Option<Notification> {
        Some(Notification {
            endpoint: self.issuer.notification_endpoint()?.clone(),
            notification_id: id?,
            access_token: token.duplicate(),
            dome_names: form.dome_names(),
        })
    }
}

struct Session {
    token: Token,
    form: RequestForm,
    /// The latest `c_nonce` (token response, then credential responses).
    c_nonce: Option<String>,
    now: i64,
}

enum Outcome {
    Ready(Vec<ReceivedCredential>),
    Deferred(Box<DeferredIssuance>),
}

async fn fetch_nonce(http: &impl HttpClient, endpoint: &PeerUrl) -> Result<String, IssuanceError> {
    let reply = net::post_empty(http, endpoint, MAX_NONCE_RESPONSE_BYTES).await.map_err(network(Step::Nonce))?;
    if !reply.is_success() {
        return Err(IssuanceError::refused(Step::Nonce, &reply));
    }
    messages::parse_nonce(&reply)
}

/// The credentials of one answer. One `notification_id` covers the whole answer, so only the
/// first carries the notification: notify once.
fn received(
    credentials: Vec<String>,
    id: &str,
    types: &[String],
    holder: &Option<DidKey>,
    notification: Option<Notification>,
) -> Vec<ReceivedCredential> {
    let mut list: Vec<ReceivedCredential> = credentials
        .into_iter()
        .map(|jwt| ReceivedCredential {
            jwt,
            configuration_id: id.to_owned(),
            types: types.to_vec(),
            holder: holder.clone(),
            notification: None,
        })
        .collect();
    if let Some(first) = list.first_mut() {
        first.notification = notification;
    }
    list
}

fn clamp_interval(interval: Option<u64>) -> u64 {
    interval.unwrap_or(DEFAULT_INTERVAL_SECS).clamp(DEFAULT_INTERVAL_SECS, MAX_INTERVAL_SECS)
}

/// A credential the issuer will sign later. Stored as JSON ([`Self::to_json`]), so the wallet
/// can poll after a reload; it holds the access token, so store it like a secret.
#[derive(Debug)]
pub struct DeferredIssuance {
    credential_issuer: PeerUrl,
    endpoint: PeerUrl,
    transaction_id: String,
    access_token: AccessToken,
    interval_secs: u64,
    next_poll_at: i64,
    configuration_id: String,
    types: Vec<String>,
    holder: Option<DidKey>,
    notification_endpoint: Option<PeerUrl>,
    notification_id: Option<String>,
    dome_names: bool,
}

/// What a poll of the deferred endpoint gave.
#[derive(Debug)]
pub enum DeferredPoll {
    Ready(Vec<ReceivedCredential>),
    /// Not yet: poll again at `retry_at` (Unix seconds). Persist the issuance again: its next
    /// poll time changed.
    Pending { retry_at: i64 },
}

impl DeferredIssuance {
    pub fn credential_issuer(&self) -> &PeerUrl {
        &self.credential_issuer
    }

    pub fn configuration_id(&self) -> &str {
        &self.configuration_id
    }

    pub fn types(&self) -> &[String] {
        &self.types
    }

    pub fn holder(&self) -> Option<&DidKey> {
        self.holder.as_ref()
    }

    /// When the issuer may be asked again (Unix seconds).
    pub fn next_poll_at(&self) -> i64 {
        self.next_poll_at
    }

    /// Asks the deferred endpoint for the credential. Before [`Self::next_poll_at`] nothing is
    /// sent. A pending answer (HTTP 202, or 400 `issuance_pending`) moves the next poll time
    /// by the issuer's `interval` (kept between 5 s and 24 h), so `&mut self`: persist it after.
    ///
    /// # Errors
    /// [`IssuanceError::TransactionUnknown`] for `invalid_transaction_id` (the issuance is over:
    /// delete it); [`IssuanceError::Refused`], [`IssuanceError::BadResponse`],
    /// [`IssuanceError::Network`] otherwise (keep it and try later).
    pub async fn poll(&mut self, http: &impl HttpClient, now: i64) -> Result<DeferredPoll, IssuanceError> {
        if now < self.next_poll_at {
            return Ok(DeferredPoll::Pending { retry_at: self.next_poll_at });
        }
        let body = messages::deferred_request(&self.transaction_id);
        let reply = net::post_json(http, &self.endpoint, &body, Some(self.access_token.secret()), MAX_CREDENTIAL_RESPONSE_BYTES)
            .await
            .map_err(network(Step::Deferred))?;
        let pending_interval = if reply.is_success() {
            match messages::parse_credential_answer(&reply, Step::Deferred)? {
                CredentialAnswer::Issued { credentials, notification_id, .. } => {
                    let notification = match (&self.notification_endpoint, notification_id.or(self.notification_id.clone())) {
                        (Some(endpoint), Some(id)) => Some(Notification {
                            endpoint: endpoint.clone(),
                            notification_id: id,
                            access_token: self.access_token.duplicate(),
                            dome_names: self.dome_names,
                        }),
                        _ => None,
                    };
                    let list = received(credentials, &self.configuration_id, &self.types, &self.holder, notification);
                    return Ok(DeferredPoll::Ready(list));
                }
                CredentialAnswer::Deferred { interval, .. } => interval,
            }
        } else {
            match reply.error().code() {
                Some("issuance_pending") => messages::error_extras(&reply).interval,
                Some("invalid_transaction_id") => return Err(IssuanceError::TransactionUnknown),
                _ => return Err(IssuanceError::refused(Step::Deferred, &reply)),
            }
        };
        if let Some(interval) = pending_interval {
            self.interval_secs = clamp_interval(Some(interval));
        }
        self.next_poll_at = now.saturating_add_unsigned(self.interval_secs);
        Ok(DeferredPoll::Pending { retry_at: self.next_poll_at })
    }
}

/// How to notify the issuer about a received credential (OpenID4VCI 1.0 §11). Stored as JSON
/// ([`Self::to_json`]), so it can wait until the credential is verified and stored.
#[derive(Debug)]
pub struct Notification {
    endpoint: PeerUrl,
    notification_id: String,
    access_token: AccessToken,
    /// Also send DOME's camelCase `notificationId` (issuers that are not 1.0-shaped).
    dome_names: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationEvent {
    /// Verified and stored.
    Accepted,
    /// The person declined or deleted it.
    Deleted,
    /// Refused by the wallet (e.g. the signature did not verify).
    Failure,
}

impl NotificationEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationEvent::Accepted => "credential_accepted",
            NotificationEvent::Deleted => "credential_deleted",
            NotificationEvent::Failure => "credential_failure",
        }
    }
}

/// Tells the issuer what became of a credential. Best effort: the credential is the wallet's
/// whatever the answer, so callers usually log a failure and move on.
pub async fn notify(http: &impl HttpClient, notification: &Notification, event: NotificationEvent) -> Result<(), IssuanceError> {
    let body = messages::notification_request(&notification.notification_id, event.as_str(), notification.dome_names);
    let reply = net::post_json(
        http,
        &notification.endpoint,
        &body,
        Some(notification.access_token.secret()),
        MAX_NOTIFICATION_RESPONSE_BYTES,
    )
    .await
    .map_err(network(Step::Notification))?;
    if reply.is_success() {
        Ok(())
    } else {
        Err(IssuanceError::refused(Step::Notification, &reply))
    }
}

// Stored JSON. Members by name, in any order; a `null` optional member is absent. The
// holder did:key is stored as its text and checked when read back, URLs as their original text
// (checked as `PeerUrl`s again).

fn url_member(object: &json::Object, key: &str) -> Result<PeerUrl, String> {
    PeerUrl::parse(&json::string(object, key)?).map_err(|e| format!("\"{key}\": {e}"))
}

fn opt_url_member(object: &json::Object, key: &str) -> Result<Option<PeerUrl>, String> {
    json::opt_str(object, key)?.map(|url| PeerUrl::parse(url).map_err(|e| format!("\"{key}\": {e}"))).transpose()
}

fn opt_text(value: Option<&str>) -> Value {
    value.map_or(Value::Null, Value::from)
}

impl DeferredIssuance {
    /// The JSON text to store.
    pub fn to_json(&self) -> String {
        let mut o = Map::new();
        o.insert("credential_issuer".into(), self.credential_issuer.as_str().into());
        o.insert("endpoint".into(), self.endpoint.as_str().into());
        o.insert("transaction_id".into(), self.transaction_id.as_str().into());
        o.insert("access_token".into(), self.access_token.secret().into());
        o.insert("interval_secs".into(), self.interval_secs.into());
        o.insert("next_poll_at".into(), self.next_poll_at.into());
        o.insert("configuration_id".into(), self.configuration_id.as_str().into());
        o.insert("types".into(), self.types.clone().into());
        o.insert("holder".into(), opt_text(self.holder.as_ref().map(DidKey::as_str)));
        o.insert("notification_endpoint".into(), opt_text(self.notification_endpoint.as_ref().map(PeerUrl::as_str)));
        o.insert("notification_id".into(), opt_text(self.notification_id.as_deref()));
        o.insert("dome_names".into(), self.dome_names.into());
        json::write(&Value::Object(o))
    }

    /// Reads what [`Self::to_json`] stored.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let o = json::parse_object(text.as_bytes())?;
        let holder = json::opt_str(&o, "holder")?.map(|did| DidKey::parse(did).map_err(|e| format!("\"holder\": {e}"))).transpose()?;
        let Some(dome_names) = o.get("dome_names").and_then(Value::as_bool) else { return Err("\"dome_names\" is not a boolean".into()) };
        let Value::Array(_) = o.get("types").unwrap_or(&Value::Null) else { return Err("\"types\" is not an array".into()) };
        Ok(Self {
            credential_issuer: url_member(&o, "credential_issuer")?,
            endpoint: url_member(&o, "endpoint")?,
            transaction_id: json::string(&o, "transaction_id")?,
            access_token: AccessToken::new(json::string(&o, "access_token")?),
            interval_secs: json::opt_u64(&o, "interval_secs")?.ok_or("\"interval_secs\" is missing")?,
            next_poll_at: json::int(&o, "next_poll_at")?,
            configuration_id: json::string(&o, "configuration_id")?,
            types: json::strings(&o, "types")?,
            holder,
            notification_endpoint: opt_url_member(&o, "notification_endpoint")?,
            notification_id: json::opt_string(&o, "notification_id")?,
            dome_names,
        })
    }
}

impl Notification {
    /// The JSON text to store.
    pub fn to_json(&self) -> String {
        let mut o = Map::new();
        o.insert("endpoint".into(), self.endpoint.as_str().into());
        o.insert("notification_id".into(), self.notification_id.as_str().into());
        o.insert("access_token".into(), self.access_token.secret().into());
        o.insert("dome_names".into(), self.dome_names.into());
        json::write(&Value::Object(o))
    }

    /// Reads what [`Self::to_json`] stored.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let o = json::parse_object(text.as_bytes())?;
        let Some(dome_names) = o.get("dome_names").and_then(Value::as_bool) else { return Err("\"dome_names\" is not a boolean".into()) };
        Ok(Self {
            endpoint: url_member(&o, "endpoint")?,
            notification_id: json::string(&o, "notification_id")?,
            access_token: AccessToken::new(json::string(&o, "access_token")?),
            dome_names,
        })
    }
}
