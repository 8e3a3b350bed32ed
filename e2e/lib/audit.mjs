// Accessibility audits (axe-core) and screenshots of the wallet's pages and states.
//
// axe-core is evaluated in the page through the DevTools protocol (Playwright's evaluate), which
// the page's Content-Security-Policy does not govern: the policy stays as strict as served (no
// script tag is added, no bypassCSP). Each state is audited at phone width (360×740) and desktop
// width (1280×800) in the light colour scheme, and at phone width in the dark one (its colours
// differ); a full-page PNG of each goes to e2e/artifacts/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = path.join(here, '..', 'artifacts');
export const SCREENSHOTS = path.join(ARTIFACTS, 'screenshots');
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };
const VARIANTS = [
  { name: 'phone', viewport: PHONE, colorScheme: 'light' },
  { name: 'desktop', viewport: DESKTOP, colorScheme: 'light' },
  { name: 'phone-dark', viewport: PHONE, colorScheme: 'dark' },
];
export const IMPACTS = ['critical', 'serious', 'moderate', 'minor'];

/**
 * Runs axe-core (every rule it enables by default: WCAG 2.0–2.2 A/AA and best practices) on the
 * page. Returns its violations, and the rules it could not decide ("needs review") as
 * `violations.incomplete`.
 */
export async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  }
  const { violations, incomplete } = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    const rules = (list) => list.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), why: n.failureSummary ?? '' })),
    }));
    return { violations: rules(result.violations), incomplete: rules(result.incomplete) };
  });
  return Object.assign(violations, { incomplete });
}

/** Whether the page is wider than the window (something overflows sideways). */
function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > width + 0.5);
    return { scrollWidth: document.documentElement.scrollWidth, width, elements: wide.slice(0, 5).map((e) => e.outerHTML.slice(0, 120)) };
  });
}

/**
 * The whole page as seen at `viewport`'s width: the window is made as tall as the page for the
 * picture, so that the bottom navigation bar (fixed) sits below the content as when scrolled
 * to the end, instead of over it as in a stitched full-page capture.
 */
async function screenshot(page, viewport, file) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await page.screenshot({ path: file });
  if (height > viewport.height) await page.setViewportSize(viewport);
}

/**
 * Audits of named states, kept for one summary (e2e/artifacts/axe-summary.json) and for the
 * test's assertion. `audit.check(page, name)` audits the page as it is now in every variant,
 * saves its screenshots, then puts the page back in its first variant.
 */
export class Audit {
  constructor() {
    this.states = [];
  }

  async check(page, name) {
    const state = { name, variants: {} };
    for (const variant of VARIANTS) {
      await page.setViewportSize(variant.viewport);
      await page.emulateMedia({ colorScheme: variant.colorScheme });
      // Two frames, so that layout and styles have settled at the new size.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const violations = await axe(page);
      const overflow = variant.viewport === PHONE ? await horizontalOverflow(page) : null;
      await screenshot(page, variant.viewport, path.join(SCREENSHOTS, `${name}-${variant.name}.png`));
      state.variants[variant.name] = { violations, overflow };
    }
    await page.setViewportSize(VARIANTS[0].viewport);
    await page.emulateMedia({ colorScheme: VARIANTS[0].colorScheme });
    this.states.push(state);
    return state;
  }

  /** Every serious or critical violation, and every sideways overflow at phone width, in words. */
  problems() {
    const out = [];
    for (const { name, variants } of this.states) {
      for (const [variant, { violations, overflow }] of Object.entries(variants)) {
        for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
          out.push(`${name} (${variant}): ${v.impact} ${v.id}: ${v.help}`);
          for (const n of v.nodes) out.push(`    ${n.target}  ${n.html}\n      ${n.why.replace(/\n/g, '\n      ')}`);
        }
        if (overflow) out.push(`${name} (${variant}): the page is ${overflow.scrollWidth} px wide in a ${overflow.width} px window: ${overflow.elements.join(' | ')}`);
      }
    }
    return out;
  }

  /** Counts by impact and the rules that fired, per state and variant. */
  summary() {
    return this.states.map(({ name, variants }) => ({
      state: name,
      variants: Object.fromEntries(Object.entries(variants).map(([variant, { violations, overflow }]) => [variant, {
        counts: Object.fromEntries(IMPACTS.map((i) => [i, violations.filter((v) => v.impact === i).length])),
        rules: violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
        needsReview: violations.incomplete.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
        overflow: Boolean(overflow),
      }])),
    }));
  }
}

/** Writes `audit`'s states to e2e/artifacts/axe-summary.json (the states of this run only). */
export function saveSummary(audit, file = path.join(ARTIFACTS, 'axe-summary.json')) {
  const version = /axe v([0-9.]+)/.exec(AXE_SOURCE)?.[1] ?? 'unknown';
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ axe: version, written: new Date().toISOString(), states: audit.summary() }, null, 2) + '\n');
}
