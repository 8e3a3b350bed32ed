// LEARCredentialEmployee payloads the hostile issuer signs: a VCDM 1.1 one like Credo's
// (did:key issuer) and a VCDM 2.0 / LEAR v3 one like DOME's (did:elsi issuer with an x5c seal).
import crypto from 'node:crypto';

export const CONFIGURATION_ID = 'LEARCredentialEmployee';
export const TYPES = ['VerifiableCredential', 'LEARCredentialEmployee'];
const LEAR_V3_CONTEXT = 'https://credentials.eudistack.eu/.well-known/credentials/lear_credential_employee/w3c/v3';
const DAY = 24 * 3600;

export const MANDATEE = Object.freeze({ firstName: 'Hana', lastName: 'Hostile', email: 'hana@hostile.example', employeeId: 'H-1' });
export const MANDATOR = Object.freeze({
  id: 'did:elsi:VATES-B99999990', organization: 'Hostile Org S.L.', organizationIdentifier: 'VATES-B99999990',
  commonName: 'Hostile Representative', country: 'ES', email: 'legal@hostile.example', serialNumber: 'IDCES-99999999X',
});
const POWERS = [{ type: 'domain', domain: 'DOME', function: 'Onboarding', action: ['Execute'] }];

/** A VCDM 1.1 JWT payload (`vc` claim, dates in nbf/exp) issued by `iss` to `holder`. */
export function learV1({ iss, holder, now = Math.floor(Date.now() / 1000), mandatee = {}, mandator = {} }) {
  return {
    iss,
    sub: holder,
    nbf: now - 60,
    iat: now - 60,
    exp: now + 365 * DAY,
    jti: `urn:uuid:${crypto.randomUUID()}`,
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1', LEAR_V3_CONTEXT],
      id: `urn:uuid:${crypto.randomUUID()}`,
      type: [...TYPES],
      issuer: iss,
      credentialSubject: {
        id: holder,
        mandate: {
          id: `urn:uuid:${crypto.randomUUID()}`,
          mandator: { ...MANDATOR, ...mandator },
          mandatee: { id: holder, ...MANDATEE, ...mandatee },
          power: POWERS,
        },
      },
    },
  };
}

/** A VCDM 2.0 / LEAR v3 payload as DOME's issuer writes it (issuer object, validFrom/validUntil, cnf). */
export function learV3({ iss, holder, now = Math.floor(Date.now() / 1000), org }) {
  const iso = (t) => new Date(t * 1000).toISOString();
  return {
    sub: holder,
    nbf: now - 60,
    iss,
    exp: now + 365 * DAY,
    iat: now - 60,
    vc: {
      '@context': ['https://www.w3.org/ns/credentials/v2', LEAR_V3_CONTEXT],
      id: `urn:uuid:${crypto.randomUUID()}`,
      type: ['LEARCredentialEmployee', 'VerifiableCredential'],
      description: 'Verifiable Credential for employees of an organization',
      credentialSubject: {
        id: holder,
        mandate: { mandatee: { ...MANDATEE }, mandator: { ...MANDATOR }, power: POWERS },
      },
      issuer: { id: iss, organizationIdentifier: org, organization: 'Hostile Seal S.L.', country: 'ES', commonName: 'Hostile Seal' },
      validFrom: iso(now - 60),
      validUntil: iso(now + 365 * DAY),
    },
    jti: crypto.randomUUID(),
    cnf: { kid: holder },
  };
}

/** The issuer's credential configuration (OpenID4VCI 1.0 shape). */
export function configuration() {
  return {
    format: 'jwt_vc_json',
    scope: 'lear_credential_employee',
    cryptographic_binding_methods_supported: ['did:key'],
    credential_signing_alg_values_supported: ['ES256', 'RS256'],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
    credential_definition: { type: [...TYPES] },
    credential_metadata: { display: [{ name: 'LEAR Credential Employee', locale: 'en' }] },
  };
}

/** The DCQL query the hostile verifier asks by default: one LEARCredentialEmployee. */
export function dcqlQuery() {
  return {
    credentials: [{
      id: 'LEARCredentialEmployee',
      format: 'jwt_vc_json',
      meta: { type_values: [[...TYPES]] },
      claims: [{ id: 'c0', path: ['credentialSubject', 'mandate', 'mandatee', 'firstName'] }],
    }],
  };
}

/** A Presentation Exchange definition for one LEARCredentialEmployee. */
export function presentationDefinition() {
  return {
    id: 'hostile-lear',
    input_descriptors: [{
      id: 'LEARCredentialEmployee',
      format: { jwt_vc_json: { alg: ['ES256'] } },
      constraints: { fields: [{ path: ['$.vc.type', '$.type'], filter: { type: 'array', contains: { const: 'LEARCredentialEmployee' } } }] },
    }],
  };
}
