//! The answer: Verifiable Presentations signed with the holder's key, shaped the way the request
//! expects them, and posted to the verifier only when [`PreparedResponse::send`] is called.
//!
//! The VP is a JWT (`alg: ES256`, `typ: JWT`, `kid: <holder did>#<fragment>`) whose `aud` is the
//! exact client identifier and whose `nonce` is the request's. The `vp_token` follows the query:
//! - DCQL: a JSON object `{"<query id>": ["<VP JWT>", …]}` (1.0 §8.1); for requests written for
//!   earlier drafts, one VP per query is sent as a string, which Credo also accepts.
//! - Presentation Exchange: the VP JWT (a JSON array of them when the chosen credentials belong to
//!   different keys), with a `presentation_submission`.
//! - DOME's scope: base64url of the VP JWT, which DOME's verifier decodes before reading it.

use crate::core::quote::quoted;
use crate::i18n::Msg;
use serde_json::{Map, Value};

use super::jwe::{self, JweCrypto};
use super::query::{Candidate, Choice, Query};
use super::request::{ResponseMode, VerifiedRequest};
use super::url_check::peer_url;
use super::PresentationError;
use crate::core::did_key::DidKey;
use crate::core::encoding::b64url_encode;
use crate::core::json;
use crate::core::jws;
use crate::core::ports::{Crypto, HolderKeys, HttpClient, HttpRequest, Method};
use crate::core::url::{self, Url};

/// How long a presentation is valid (seconds): enough to reach the verifier, too short to reuse.
pub const VP_LIFETIME: i64 = 300;
/// Largest answer body from the verifier that is read.
const MAX_ANSWER_LEN: usize = 64 * 1024;

/// An answer ready to be sent. Nothing has been sent yet.
#[derive(Debug, Clone)]
pub struct PreparedResponse {
    response_uri: Url,
    form: Vec<(String, String)>,
}

/// What happened after the verifier received the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted; the verifier continues on its own (e.g. on the device that showed the QR code).
    Done,
    /// Accepted; the verifier asks the wallet to open this https (or loopback) address.
    Redirect(Url),
    /// Accepted, but the verifier asked to open an address the wallet refuses (another scheme
    /// such as `javascript:`, or plain http), so it was not opened.
    RedirectRefused { reason: String },
}

impl Outcome {
    /// What to tell the person.
    pub fn user_message(&self) -> Msg {
        match self {
            Outcome::Done => Msg::SignedInElsewhere,
            Outcome::Redirect(_) => Msg::ContinuingAtVerifier,
            Outcome::RedirectRefused { .. } => Msg::RedirectRefused,
        }
    }
}

impl VerifiedRequest {
    /// Builds the answer for the credentials the person agreed to share. Nothing is sent.
    ///
    /// Every choice must name a credential that answers its query (as
    /// [`VerifiedRequest::match_credentials`] says), the choices together must satisfy the
    /// request, and each credential must be bound to the wallet key that will sign for it.
    /// The caller MUST have checked [`VerifiedRequest::replay_key`] and obtained consent.
    ///
    /// # Errors
    /// [`PresentationError::Selection`], [`PresentationError::HolderMismatch`], a signing or
    /// encryption failure.
    pub async fn respond(
        &self,
        choices: &[Choice],
        candidates: &[Candidate<'_>],
        keys: &impl HolderKeys,
        crypto: &impl Crypto,
        platform: &impl JweCrypto,
        now: i64,
    ) -> Result<PreparedResponse, PresentationError> {
        let chosen = self.check_choices(choices, candidates)?;
        let mut payload = Map::new();
        match &self.query {
            Query::Dcql(_) => {
                payload.insert("vp_token".into(), self.dcql_token(&chosen, keys, crypto, now).await?);
            }
            Query::PresentationExchange(definition) => {
                let (token, entries, count) = self.grouped_by_holder(&chosen, keys, crypto, now).await?;
                let submission = definition.submission(&uuid(crypto)?, &entries, count);
                payload.insert("presentation_submission".into(), submission);
                payload.insert("vp_token".into(), token);
            }
            Query::Scope { .. } => {
                let credentials: Vec<Candidate<'_>> = chosen.iter().map(|(_, c)| **c).collect();
                let vp = self.sign_vp(&credentials, keys, crypto, now).await?;
                // DOME's verifier base64-decodes the token before reading the JWT.
                payload.insert("vp_token".into(), Value::from(b64url_encode(vp.as_bytes())));
            }
        }
        if let Some(state) = &self.state {
            payload.insert("state".into(), Value::from(state.as_str()));
        }
        self.prepare(payload, crypto, platform).await
    }

    /// `{"<query id>": ["<VP>", …]}`: one VP per chosen credential. Drafts 23–27 put one VP per
    /// query as the value itself.
    async fn dcql_token(
        &self,
        chosen: &[(String, &Candidate<'_>)],
        keys: &impl HolderKeys,
        crypto: &impl Crypto,
        now: i64,
    ) -> Result<Value, PresentationError> {
        let mut token: Map<String, Value> = Map::new();
        for (query_id, candidate) in chosen {
            let vp = Value::from(self.sign_vp(&[**candidate], keys, crypto, now).await?);
            match token.get_mut(query_id) {
                Some(Value::Array(list)) => list.push(vp),
                _ => {
                    token.insert(query_id.clone(), Value::Array(vec![vp]));
                }
            }
        }
        if self.pre_final {
            for entry in token.values_mut() {
                if let Value::Array(list) = entry {
                    if let [one] = list.as_mut_slice() {
                        *entry = one.take();
                    }
                }
            }
        }
        Ok(Value::Object(token))
    }

    /// For Presentation Exchange: one VP per holder key with that key's credentials. Returns the
    /// token (the VP, or an array of VPs), the (descriptor, VP index, credential index) entries
    /// of the submission, and the number of VPs.
    async fn grouped_by_holder(
        &self,
        chosen: &[(String, &Candidate<'_>)],
        keys: &impl HolderKeys,
        crypto: &impl Crypto,
        now: i64,
    ) -> Result<(Value, Vec<(String, usize, usize)>, usize), PresentationError> {
        let mut groups: Vec<(&DidKey, Vec<Candidate<'_>>)> = Vec::new();
        let mut entries = Vec::new();
        for (descriptor, candidate) in chosen {
            let vp = groups.iter().position(|(h, _)| *h == candidate.holder).unwrap_or_else(|| {
                groups.push((candidate.holder, Vec::new()));
                groups.len() - 1
            });
            let Some((_, group)) = groups.get_mut(vp) else { continue };
            let vc = group.iter().position(|c| c.id == candidate.id).unwrap_or_else(|| {
                group.push(**candidate);
                group.len() - 1
            });
            entries.push((descriptor.clone(), vp, vc));
        }
        let mut vps = Vec::with_capacity(groups.len());
        for (_, group) in &groups {
            vps.push(Value::from(self.sign_vp(group, keys, crypto, now).await?));
        }
        let count = vps.len();
        let token = if let [one] = vps.as_mut_slice() { one.take() } else { Value::Array(vps) };
        Ok((token, entries, count))
    }

    /// Builds the refusal (`error=access_denied`), to tell the verifier the person declined.
    /// Nothing is sent until [`PreparedResponse::send`].
    pub async fn decline(
        &self,
        crypto: &impl Crypto,
        platform: &impl JweCrypto,
    ) -> Result<PreparedResponse, PresentationError> {
        let mut payload = Map::new();
        payload.insert("error".into(), Value::from("access_denied"));
        if let Some(state) = &self.state {
            payload.insert("state".into(), Value::from(state.as_str()));
        }
        self.prepare(payload, crypto, platform).await
    }

    /// Checks the choices and pairs each with its candidate, in the order of the request's queries.
    fn check_choices<'c, 'a>(
        &self,
        choices: &[Choice],
        candidates: &'c [Candidate<'a>],
    ) -> Result<Vec<(String, &'c Candidate<'a>)>, PresentationError> {
        let selection = |m: String| PresentationError::Selection(m);
        let matches = self.query.match_candidates(candidates);
        let mut chosen = Vec::new();
        for query in &matches.queries {
            let picked: Vec<&Choice> = choices.iter().filter(|c| c.query_id == query.id).collect();
            if picked.len() > 1 && !self.query.allows_multiple(&query.id) {
                return Err(selection(format!("query {} takes one credential", quoted(&query.id))));
            }
            for choice in picked {
                if !query.candidates.iter().any(|m| m.id == choice.candidate_id) {
                    return Err(selection(format!(
                        "credential {} does not answer query {}",
                        quoted(&choice.candidate_id), quoted(&query.id)
                    )));
                }
                let candidate = candidates
                    .iter()
                    .find(|c| c.id == choice.candidate_id)
                    .ok_or_else(|| selection("unknown credential".into()))?;
                if chosen.iter().any(|(q, c): &(String, &Candidate<'_>)| *q == query.id && c.id == candidate.id) {
                    return Err(selection(format!("credential {} is chosen twice for {}", quoted(&candidate.id), quoted(&query.id))));
                }
                check_holder(candidate)?;
                chosen.push((query.id.clone(), candidate));
            }
        }
        if let Some(stray) = choices.iter().find(|c| !matches.queries.iter().any(|q| q.id == c.query_id)) {
            return Err(selection(format!("the request has no query {}", quoted(&stray.query_id))));
        }
        let answered: Vec<&str> = chosen.iter().map(|(q, _)| q.as_str()).collect();
        self.query.check_answered(&answered).map_err(selection)?;
        Ok(chosen)
    }

    /// One VP JWT holding `credentials`, all bound to the same key, signed with it.
    async fn sign_vp(
        &self,
        credentials: &[Candidate<'_>],
        keys: &impl HolderKeys,
        crypto: &impl Crypto,
        now: i64,
    ) -> Result<String, PresentationError> {
        let holder = credentials
            .first()
            .map(|c| c.holder)
            .ok_or_else(|| PresentationError::Selection("no credential chosen".into()))?;
        let id = uuid(crypto)?;
        let vp = json::object(&mut [
            ("@context", vec!["https://www.w3.org/2018/credentials/v1"].into()),
            ("type", vec!["VerifiablePresentation"].into()),
            ("id", id.as_str().into()),
            ("holder", holder.as_str().into()),
            ("verifiableCredential", credentials.iter().map(|c| c.jwt).collect::<Vec<_>>().into()),
        ]);
        let claims = json::object(&mut [
            ("iss", holder.as_str().into()),
            ("sub", holder.as_str().into()),
            ("aud", self.verifier.client_id().into()),
            ("nonce", self.nonce.as_str().into()),
            ("iat", now.into()),
            ("nbf", now.into()),
            ("exp", now.saturating_add(VP_LIFETIME).into()),
            ("jti", id.as_str().into()),
            ("vp", vp),
        ]);
        let mut header = Map::new();
        header.insert("typ".into(), Value::from("JWT"));
        header.insert("kid".into(), Value::from(holder.key_id()));
        Ok(jws::sign_es256(header, &claims, holder, keys).await?)
    }

    /// The form to post: the parameters themselves (`direct_post`) or encrypted into one
    /// `response` parameter (`direct_post.jwt`).
    async fn prepare(
        &self,
        payload: Map<String, Value>,
        crypto: &impl Crypto,
        platform: &impl JweCrypto,
    ) -> Result<PreparedResponse, PresentationError> {
        let form = match &self.response_mode {
            ResponseMode::DirectPost => payload
                .into_iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s,
                        other => json::write(&other),
                    };
                    (k, text)
                })
                .collect(),
            ResponseMode::DirectPostJwt { key, enc } => {
                let apu = crypto.random_bytes(16)?;
                let jwe = jwe::encrypt(
                    json::write(&Value::Object(payload)).as_bytes(),
                    key,
                    *enc,
                    &apu,
                    self.nonce.as_bytes(),
                    crypto,
                    platform,
                )
                .await?;
                vec![("response".to_owned(), jwe)]
            }
        };
        Ok(PreparedResponse { response_uri: self.response_uri.clone(), form })
    }
}

/// The credential names its holder (`credentialSubject.id`, else `sub`, else the LEAR mandatee,
/// DOME's rule); the wallet key must be that holder, or the verifier will refuse.
fn check_holder(candidate: &Candidate<'_>) -> Result<(), PresentationError> {
    let vc = candidate.credential();
    let subject = vc.get("credentialSubject").map(|s| {
        if let Value::Array(list) = s {
            list.first().unwrap_or(&Value::Null)
        } else {
            s
        }
    });
    let named = subject
        .and_then(|s| s.get("id"))
        .or_else(|| candidate.payload.get("sub"))
        .or_else(|| subject.and_then(|s| s.get("mandate")).and_then(|m| m.get("mandatee")).and_then(|m| m.get("id")))
        .and_then(Value::as_str);
    match named {
        Some(did) if did != candidate.holder.as_str() => Err(PresentationError::HolderMismatch {
            credential: candidate.id.to_owned(),
            bound_to: did.chars().take(120).collect(),
            key: candidate.holder.as_str().to_owned(),
        }),
        _ => Ok(()),
    }
}

/// A random (version 4) UUID URN.
fn uuid(crypto: &impl Crypto) -> Result<String, PresentationError> {
    let mut b: [u8; 16] = crypto
        .random_bytes(16)?
        .try_into()
        .map_err(|_| PresentationError::Other("random_bytes returned the wrong length".into()))?;
    let [.., v, _, r, _, _, _, _, _, _, _] = &mut b;
    *v = (*v & 0x0f) | 0x40; // version 4
    *r = (*r & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let part = |r: std::ops::Range<usize>| hex.get(r).unwrap_or_default().to_owned();
    Ok(format!("urn:uuid:{}-{}-{}-{}-{}", part(0..8), part(8..12), part(12..16), part(16..20), part(20..32)))
}

impl PreparedResponse {
    /// Where it will be posted.
    pub fn response_uri(&self) -> &Url {
        &self.response_uri
    }

    /// The form fields that will be posted (they hold personal data: do not log them).
    pub fn form(&self) -> &[(String, String)] {
        &self.form
    }

    /// Posts the answer to the verifier's `response_uri`, once.
    ///
    /// # Errors
    /// [`PresentationError::Network`] when the verifier cannot be reached, and
    /// [`PresentationError::Rejected`] with its status and `error`/`error_description` when it
    /// answers 4xx/5xx. Either way the request is used up: the person needs a new QR code.
    pub async fn send(self, http: &impl HttpClient) -> Result<Outcome, PresentationError> {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&self.form).finish();
        let response = http
            .send(HttpRequest {
                method: Method::Post,
                url: self.response_uri,
                headers: vec![
                    ("Content-Type", "application/x-www-form-urlencoded".into()),
                    ("Accept", "application/json".into()),
                ],
                body: Some(body.into_bytes()),
            })
            .await?;
        let answer: Option<Value> =
            if response.body.len() <= MAX_ANSWER_LEN { json::parse(&response.body).ok() } else { None };
        let field = |name: &str| -> Option<String> {
            let text = answer.as_ref()?.get(name)?.as_str()?;
            Some(text.chars().filter(|c| !c.is_control()).take(200).collect())
        };
        if !(200..300).contains(&response.status) {
            return Err(PresentationError::Rejected {
                status: response.status,
                error: field("error"),
                description: field("error_description"),
            });
        }
        Ok(match answer.as_ref().and_then(|a| a.get("redirect_uri")) {
            None | Some(Value::Null) => Outcome::Done,
            Some(Value::String(target)) => match peer_url(target, "redirect_uri") {
                Ok(url) => Outcome::Redirect(url),
                Err(e) => Outcome::RedirectRefused { reason: e.to_string() },
            },
            Some(other) => Outcome::RedirectRefused { reason: format!("redirect_uri is {}", super::kind(other)) },
        })
    }
}
