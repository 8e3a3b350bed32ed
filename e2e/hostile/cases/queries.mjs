// What a correctly signed request asks for, when that is malformed, ambiguous, unsupported or
// nothing at all: refused before the consent screen; the verifier receives nothing.
import { dcqlQuery, presentationDefinition } from '../lib/lear.mjs';
import { M } from './messages.mjs';

const MARKUP = '<img src=x id=hostile-xss onerror="window.__pwned=1"><script>window.__pwned=1</script>';

const query = (name, title, change, message, extra = {}) => ({
  name: `query-${name}`, category: 'queries', role: 'verifier', title, message, stage: 'request',
  verifier: { claims: (ctx, c) => change({ ...c, dcql_query: undefined }, ctx) }, ...extra,
});
const dcql = (name, title, value, message) => query(`dcql-${name}`, title, (c) => ({ ...c, dcql_query: value }), message);
const pe = (name, title, value, message) => query(`pe-${name}`, title, (c) => ({ ...c, presentation_definition: value }), message);
const lear = dcqlQuery().credentials[0];
const descriptor = presentationDefinition().input_descriptors[0];
const withField = (field) => ({ ...presentationDefinition(), input_descriptors: [{ ...descriptor, constraints: { fields: [field] } }] });

export default [
  query('nothing-asked', 'no dcql_query, presentation_definition or scope: asks for nothing', (c) => c, M.nothingAsked),
  query('openid-scope-only', 'scope "openid" alone: asks for nothing', (c) => ({ ...c, scope: 'openid' }), M.nothingAsked),
  query('unknown-scope', 'an unknown scope', (c) => ({ ...c, scope: 'openid bank.account.read' }), M.unknownScope),
  query('scope-not-a-string', 'scope is a number', (c) => ({ ...c, scope: 42 }), M.queryUnreadable),
  query('dcql-and-presentation-definition', 'both a DCQL query and a presentation definition', (c) => ({ ...c, dcql_query: dcqlQuery(), presentation_definition: presentationDefinition() }), M.queryUnreadable),
  query('presentation-definition-uri', 'presentation_definition_uri (fetching a definition elsewhere)', (c) => ({ ...c, presentation_definition_uri: 'https://evil.example/pd' }), M.queryUnsupported),
  dcql('not-json', 'dcql_query is a string that is not JSON', '{"credentials": [', M.queryUnreadable),
  dcql('a-number', 'dcql_query is a number', 7, M.queryUnreadable),
  dcql('credentials-missing', 'dcql_query without credentials: asks for nothing', {}, M.queryUnreadable),
  dcql('credentials-empty', 'dcql_query with an empty credentials list: asks for nothing', { credentials: [] }, M.queryUnreadable),
  dcql('credentials-not-a-list', 'credentials is an object', { credentials: { id: 'x' } }, M.queryUnreadable),
  dcql('id-with-markup', 'a credential query id with markup characters', { credentials: [{ ...lear, id: '<b>x</b>' }] }, M.queryUnreadable),
  dcql('ids-repeat', 'two credential queries with the same id', { credentials: [lear, lear] }, M.queryUnreadable),
  dcql('empty-claim-path', 'a claim with an empty path', { credentials: [{ ...lear, claims: [{ id: 'c0', path: [] }] }] }, M.queryUnreadable),
  dcql('claims-not-a-list', 'claims is a string', { credentials: [{ ...lear, claims: 'everything' }] }, M.queryUnreadable),
  dcql('set-names-undefined-query', 'a credential set naming a query that does not exist', { credentials: [lear], credential_sets: [{ options: [['ghost']] }] }, M.queryUnreadable),
  dcql('65-queries', '65 credential queries', { credentials: Array.from({ length: 65 }, (_, i) => ({ ...lear, id: `q${i}` })) }, M.queryUnreadable),
  pe('without-input-descriptors', 'a presentation definition without input descriptors: asks for nothing', { id: 'pd' }, M.queryUnreadable),
  pe('empty-input-descriptors', 'a presentation definition with an empty input descriptor list', { id: 'pd', input_descriptors: [] }, M.queryUnreadable),
  pe('descriptor-ids-repeat', 'two input descriptors with the same id', { ...presentationDefinition(), input_descriptors: [descriptor, descriptor] }, M.queryUnreadable),
  pe('not-an-object', 'presentation_definition is an array', [presentationDefinition()], M.queryUnreadable),
  pe('jsonpath-filter-expression', 'a JSONPath filter expression (code to evaluate)', withField({ path: ['$.vc.credentialSubject[?(@.constructor)]'] }), M.queryUnsupported),
  pe('regex-groups', 'a filter pattern with nested groups (catastrophic backtracking)', withField({ path: ['$.vc.id'], filter: { type: 'string', pattern: '^(a+)+$' } }), M.queryUnsupported),
  pe('filter-nested-deeply', 'a filter schema nested 100 levels deep', withField({
    path: ['$.vc.id'], filter: JSON.parse(`${'{"not":'.repeat(100)}{"type":"string"}${'}'.repeat(100)}`),
  }), M.queryUnsupported),
  pe('nested-submission-requirements', 'nested submission requirements (from_nested)', {
    ...presentationDefinition(), submission_requirements: [{ rule: 'all', from_nested: [{ rule: 'all', from: 'A' }] }],
  }, M.queryUnsupported),
  {
    name: 'query-purpose-and-name-markup', category: 'queries', role: 'verifier',
    title: 'a verifier name and purpose with HTML and scripts: shown as text on the consent screen; leaving sends nothing',
    verifier: {
      claims: (ctx, c) => ({
        ...c, dcql_query: undefined,
        client_metadata: { ...c.client_metadata, client_name: `Verifier ${MARKUP}`, logo_uri: 'javascript:window.__pwned=1' },
        presentation_definition: { ...presentationDefinition(), purpose: `Purpose ${MARKUP}` },
      }),
    },
    drive: 'leave', markup: 'shown', withCredential: true, screen: /Share your credential\?/, stage: 'request',
  },
];
