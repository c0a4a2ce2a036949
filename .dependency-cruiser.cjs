// The layers of scripts/, as rules `npm test` checks (test/unit/layers.test.ts runs depcruise).
// Lowest first: a module may import from its own folder and from the folders before it, never
// from one after it. The entry (cli.ts), the dispatch and the commands sit above every lib folder.
const LAYERS = [
  'core', // errors, terminal-safe text, redaction: what every other module leans on
  'cli', // flags and command output
  'config', // the variable table, precedence, env-file text
  'dribbble', // facts about Dribbble's OAuth and API v2 (error meanings, the endpoint catalogue, rules)
  'mock', // the bundled Dribbble-like server
  'disk', // private folders, secret files, git tracking, signals
  'postman', // the collection, environments and OpenAPI document rendered from typed source
  'secrets', // the one secret detector for Postman and Newman files, sanitize, the repository scan
  'http', // the one reader of a server's answer, and what an answer means
  'newman', // running items of the committed collection with Newman
  'oauth', // the authorization-code flow: authorize, callback, exchange
  'api', // calling API v2 with a token: requests, pages, the rate budget, uploads
];

const layerRules = LAYERS.map((layer, index) => ({
  name: `no-upward-from-${layer}`,
  comment: `lib/${layer} may import only from ${['its own folder', ...LAYERS.slice(0, index).map((l) => `lib/${l}`)].join(', ')}`,
  severity: 'error',
  from: { path: `^scripts/lib/${layer}/` },
  to: { path: `^scripts/(lib/(${LAYERS.slice(index + 1).join('|') || 'none'})/|commands/|dispatch\\.ts|cli\\.ts|build/)` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A circle makes load order matter and hides which module owns what.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'commands-stand-alone',
      comment: 'A command imports lib modules, never another command: shared code belongs in lib/.',
      severity: 'error',
      from: { path: '^scripts/commands/([^/]+)\\.ts$' },
      to: { path: '^scripts/commands/', pathNot: '^scripts/commands/$1\\.ts$' },
    },
    {
      name: 'lib-outside-known-layers',
      comment: 'Every lib module sits in one of the layer folders listed at the top of this file.',
      severity: 'error',
      from: { path: '^scripts/lib/', pathNot: `^scripts/lib/(${LAYERS.join('|')})/` },
      to: {},
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports is dead code (the entry, the build script and the cache warmer are run, not imported).',
      severity: 'error',
      from: { orphan: true, path: '^scripts/', pathNot: ['^scripts/cli\\.ts$', '^scripts/build/', '^scripts/lib/newman/newman-cache-warmer\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    // TypeScript 7 has no classic compiler API: parse with swc, and count type-only imports too.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
