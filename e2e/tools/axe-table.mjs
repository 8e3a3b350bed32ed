// Prints e2e/artifacts/axe-summary.json (written by e2e/tests/accessibility.test.mjs) as the
// Markdown table of docs/ACCESSIBILITY.md: violations by impact per state and variant.
//   node e2e/tools/axe-table.mjs [summary.json]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'axe-summary.json');
const { axe, written, states } = JSON.parse(fs.readFileSync(file, 'utf8'));
const variants = [...new Set(states.flatMap((s) => Object.keys(s.variants)))];
const cell = (v) => v ? `${v.counts.critical} / ${v.counts.serious} / ${v.counts.moderate} / ${v.counts.minor}${v.overflow ? ' overflow' : ''}` : '–';
console.log(`axe-core ${axe}, run of ${written}. Violations: critical / serious / moderate / minor.\n`);
console.log(`| state | ${variants.join(' | ')} | needs review (not violations) |`);
console.log(`| --- | ${variants.map(() => '---').join(' | ')} | --- |`);
for (const s of states) {
  const review = [...new Set(Object.values(s.variants).flatMap((v) => v.needsReview.map((r) => r.split(':')[0])))];
  console.log(`| ${s.state} | ${variants.map((v) => cell(s.variants[v])).join(' | ')} | ${review.join(', ') || '–'} |`);
}
const rules = [...new Set(states.flatMap((s) => Object.values(s.variants).flatMap((v) => v.rules)))];
if (rules.length) console.log(`\nViolations:\n${rules.map((r) => `- ${r}`).join('\n')}`);
