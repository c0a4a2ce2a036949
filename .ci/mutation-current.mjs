// Whether the committed mutation results (reports/stryker-incremental.json) are those of the code
// and unit tests here: every mutated module and every test file Stryker recorded, byte for byte,
// and no module of stryker.config.mjs's `mutate` missing from them. Prints what differs; exit 0
// when current, 3 when not (then an incremental run retests what changed: see the README).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const report = JSON.parse(readFileSync('reports/stryker-incremental.json', 'utf8'));
const { default: config } = await import(new URL('../stryker.config.mjs', import.meta.url));
const differ = [];
for (const [kind, entries] of [['module', report.files], ['test', report.testFiles ?? {}]]) {
  for (const [path, { source }] of Object.entries(entries)) {
    if (!existsSync(path)) differ.push(`${kind} ${path}: gone`);
    else if (readFileSync(path, 'utf8') !== source) differ.push(`${kind} ${path}: changed`);
  }
}
// The mutate globs, expanded by hand for the two forms they use: folder/*.ts and folder/{a,b}.ts.
for (const pattern of config.mutate) {
  const [, folder, names] = /^(.*)\/(.*)$/.exec(pattern);
  const listed = names === '*.ts' ? readdirSync(folder).filter((n) => n.endsWith('.ts')) : names.replace(/^\{|\}\.ts$/g, '').split(',').map((n) => (n.endsWith('.ts') ? n : `${n}.ts`));
  for (const name of listed) if (!(join(folder, name) in report.files)) differ.push(`module ${join(folder, name)}: not in the results`);
}
if (differ.length) {
  console.log(`The mutation results are behind the code (${differ.length}):\n  ${differ.join('\n  ')}`);
  process.exit(3);
}
console.log('The mutation results are those of this code and these tests.');
