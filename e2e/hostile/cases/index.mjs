// Every hostile case, by category, and the controls. A case is a plain object:
//   name, category, title     what it is (the name is also its path: /case/<name>/…)
//   role                      'issuer' | 'verifier' | 'link' (which default peer answers)
//   issuer / verifier         overrides of the default answers (lib/defaults.mjs), each
//                             (ctx, defaultAnswer, …) => answer
//   link(ctx)                 the text the wallet is given, when not the default offer/request
//   routes                    extra paths: { '<rest>': (ctx, request) => answer }
// and what the test expects (e2e/tests/hostile.test.mjs):
//   via        'paste' (Scan page, as QR text; default) | 'link' (opened as a same-device link)
//   drive      'open' (refused at once; default) | 'accept' (offer, Accept) | 'share' (consent,
//              Share) | 'replay' (share, then the same nonce again) | 'cancel' | 'leave'
//   message    the plain words the screen's one alert must show (none: no alert)
//   screen     the screen's title (default: a refusal, "That did not work" or "Not a wallet request")
//   stage      the last step the wallet may contact (see STAGES in server.mjs); nothing later
//   maxRequests, withCredential, stored, accepted, markup, huge: see the test
import links from './links.mjs';
import offers from './offers.mjs';
import metadata from './metadata.mjs';
import answers from './answers.mjs';
import credentials from './credentials.mjs';
import requests from './requests.mjs';
import queries from './queries.mjs';
import verifier from './verifier.mjs';
import controls from './controls.mjs';

export const CATEGORIES = [
  ['links', 'Links and QR text'],
  ['offers', 'Credential offers'],
  ['metadata', 'Issuer and authorization server metadata'],
  ['answers', 'Token, nonce and credential answers'],
  ['credentials', 'Credentials'],
  ['requests', 'Request objects and client identifiers'],
  ['queries', 'Queries (DCQL, Presentation Exchange, scope)'],
  ['verifier', 'Verifier answers and redirects'],
];

export const HOSTILE_CASES = [...links, ...offers, ...metadata, ...answers, ...credentials, ...requests, ...queries, ...verifier];
export const CONTROL_CASES = controls;
export const CASES = [...CONTROL_CASES, ...HOSTILE_CASES];
