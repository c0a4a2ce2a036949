// Started detached by a command that found Newman's code caches missing (newman-loader.ts): loads
// Newman without them, runs an empty collection (which boots the script sandbox, as every run
// does), then writes both caches. Nothing is sent anywhere.
import { rmSync } from 'node:fs';
import { loadNewman, writeCodeCaches } from './newman-loader.js';

const EMPTY = { info: { name: 'code cache warm-up', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [] };
loadNewman().run({ collection: EMPTY, reporters: [] }, () => {
  writeCodeCaches();
  // The lock of the command that started this writer (see warmCodeCachesInBackground).
  if (process.env.DRIBBBLE_OAUTH_CACHE_LOCK) rmSync(process.env.DRIBBBLE_OAUTH_CACHE_LOCK, { force: true });
});
