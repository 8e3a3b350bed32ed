// The DOME LEARCredentialEmployee (data model v3) as the sandbox issues and asks for it.
// Shapes follow shared/dome/profile/learcredentialemployee-v3-jwt-payload.json and
// shared/dome/captured/sbx-verifier-access-token-payload-v3.json.

export const CREDENTIAL_CONFIGURATION_ID = 'LEARCredentialEmployee';
export const CREDENTIAL_TYPES = ['VerifiableCredential', 'LEARCredentialEmployee'];
/** Second @context entry: tells the wallet this is data model v3. */
export const LEAR_V3_CONTEXT = 'https://credentials.eudistack.eu/.well-known/credentials/lear_credential_employee/w3c/v3';
/** Credo signs W3C VCDM 1.1 credentials for jwt_vc_json: its first context must be the 1.1 one. */
export const VCDM_11_CONTEXT = 'https://www.w3.org/2018/credentials/v1';

export const DEFAULT_MANDATEE = Object.freeze({
  firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.org', employeeId: 'E-0001',
});
export const DEFAULT_MANDATOR = Object.freeze({
  id: 'did:elsi:VATES-B00000000',
  organization: 'Sandbox Org S.L.',
  organizationIdentifier: 'VATES-B00000000',
  commonName: 'Sandbox Legal Representative',
  country: 'ES',
  email: 'legal@example.org',
  serialNumber: 'IDCES-00000000X',
});
export const DEFAULT_POWERS = Object.freeze([
  { type: 'domain', domain: 'DOME', function: 'Onboarding', action: ['Execute'] },
  { type: 'domain', domain: 'DOME', function: 'ProductOffering', action: ['Create', 'Update', 'Delete'] },
]);

const MANDATEE_FIELDS = ['firstName', 'lastName', 'email', 'employeeId'];
const MANDATOR_FIELDS = ['id', 'organization', 'organizationIdentifier', 'commonName', 'country', 'email', 'serialNumber'];

/**
 * Merges caller input over the defaults, checking types; throws an Error with a precise message.
 * The mandator's id follows its organizationIdentifier (did:elsi:<organizationIdentifier>) unless given.
 */
export function buildMandate({ mandatee = {}, mandator = {} } = {}) {
  checkObject('mandatee', mandatee, MANDATEE_FIELDS);
  checkObject('mandator', mandator, MANDATOR_FIELDS);
  const m = { ...DEFAULT_MANDATOR, ...mandator };
  if (mandator.organizationIdentifier && !mandator.id) m.id = `did:elsi:${m.organizationIdentifier}`;
  if (!m.id.startsWith('did:elsi:')) throw new Error(`mandator.id must be a did:elsi DID, got '${m.id}'`);
  return {
    mandator: m,
    mandatee: { ...DEFAULT_MANDATEE, ...mandatee },
    power: DEFAULT_POWERS.map((p) => ({ ...p, action: [...p.action] })),
  };
}

function checkObject(name, value, fields) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${name} must be an object`);
  for (const [k, v] of Object.entries(value)) {
    if (!fields.includes(k)) throw new Error(`${name}.${k} is not a known field (known: ${fields.join(', ')})`);
    if (typeof v !== 'string' || v.trim() === '' || v.length > 200) throw new Error(`${name}.${k} must be a non-empty string of at most 200 characters`);
  }
}

/** Issuer-side credential configuration (OpenID4VCI 1.0 shape: display and claims under credential_metadata). */
export function credentialConfigurationV1(logoUri) {
  return {
    format: 'jwt_vc_json',
    scope: 'lear_credential_employee',
    cryptographic_binding_methods_supported: ['did:key'],
    credential_signing_alg_values_supported: ['ES256'],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
    credential_definition: { type: [...CREDENTIAL_TYPES] },
    credential_metadata: {
      display: [credentialDisplay(logoUri)],
      claims: [
        { path: ['credentialSubject', 'mandate', 'mandatee', 'firstName'], display: [{ name: 'First name', locale: 'en' }] },
        { path: ['credentialSubject', 'mandate', 'mandatee', 'lastName'], display: [{ name: 'Last name', locale: 'en' }] },
        { path: ['credentialSubject', 'mandate', 'mandatee', 'email'], display: [{ name: 'E-mail', locale: 'en' }] },
        { path: ['credentialSubject', 'mandate', 'mandator', 'organization'], display: [{ name: 'Organisation', locale: 'en' }] },
      ],
    },
  };
}

/**
 * Draft-13 style credential configuration: `display` at the top level, no `credential_metadata`, no claims
 * array. Without `credential_metadata` a wallet (and Credo's own client) reads the metadata as draft 14 or
 * older and sends `format` + `credential_definition` in its credential request.
 */
export function credentialConfigurationDraft13(logoUri) {
  const { credential_metadata: _ignored, ...rest } = credentialConfigurationV1(logoUri);
  return { ...rest, display: [credentialDisplay(logoUri)] };
}

function credentialDisplay(logoUri) {
  return {
    name: 'LEAR Credential Employee',
    locale: 'en',
    description: 'Sandbox LEARCredentialEmployee issued by a Credo-ts peer',
    background_color: '#0B2D5B',
    text_color: '#FFFFFF',
    ...(logoUri ? { logo: { uri: logoUri, alt_text: 'DOME sandbox logo' } } : {}),
  };
}

export function issuerDisplay(logoUri) {
  return [{ name: 'DOME Sandbox Issuer (Credo-ts)', locale: 'en', ...(logoUri ? { logo: { uri: logoUri, alt_text: 'DOME sandbox logo' } } : {}) }];
}

/** Claim paths the verifier asks for (relative to the credential JSON, i.e. the JWT's `vc`). */
export const REQUESTED_CLAIM_PATHS = [
  ['credentialSubject', 'mandate', 'mandatee', 'firstName'],
  ['credentialSubject', 'mandate', 'mandatee', 'lastName'],
  ['credentialSubject', 'mandate', 'mandator', 'organization'],
];

/** OpenID4VP DCQL query for one LEARCredentialEmployee in jwt_vc_json. */
export function dcqlQuery({ purpose } = {}) {
  const query = {
    credentials: [{
      id: 'LEARCredentialEmployee',
      format: 'jwt_vc_json',
      meta: { type_values: [[...CREDENTIAL_TYPES]] },
      claims: REQUESTED_CLAIM_PATHS.map((path, i) => ({ id: `c${i}`, path })),
    }],
  };
  // DCQL has no purpose field on a credential query; it lives on credential sets.
  if (purpose) query.credential_sets = [{ options: [['LEARCredentialEmployee']], required: true, purpose }];
  return query;
}

/** DIF Presentation Exchange v2 definition for one LEARCredentialEmployee (draft 21 / draft 24 requests). */
export function presentationDefinition({ purpose } = {}) {
  return {
    id: 'dome-sandbox-lear-credential-employee',
    ...(purpose ? { purpose } : {}),
    input_descriptors: [{
      id: 'LEARCredentialEmployee',
      ...(purpose ? { purpose } : {}),
      // Credo's PEX engine calls a JWT VC 'jwt_vc'; 'jwt_vc_json' is the OpenID4VP name: list both.
      format: { jwt_vc_json: { alg: ['ES256'] }, jwt_vc: { alg: ['ES256'] } },
      constraints: {
        fields: [
          { path: ['$.vc.type', '$.type'], filter: { type: 'array', contains: { const: 'LEARCredentialEmployee' } } },
          { path: ['$.vc.credentialSubject.mandate.mandatee.firstName', '$.credentialSubject.mandate.mandatee.firstName'] },
          { path: ['$.vc.credentialSubject.mandate.mandatee.lastName', '$.credentialSubject.mandate.mandatee.lastName'] },
          { path: ['$.vc.credentialSubject.mandate.mandator.organization', '$.credentialSubject.mandate.mandator.organization'] },
        ],
      },
    }],
  };
}

/** A small square logo (SVG) served by the issuer and the verifier. */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
<rect width="64" height="64" rx="12" fill="#0B2D5B"/><circle cx="32" cy="32" r="18" fill="none" stroke="#F5A623" stroke-width="6"/>
<text x="32" y="38" font-family="sans-serif" font-size="16" font-weight="bold" fill="#fff" text-anchor="middle">SB</text></svg>`;
