// Where the committed collection and environments live and what the collection's items are
// called: all a command needs to run them, without the code that builds them (generate's job).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findEndpoint } from '../dribbble/api-v2.js';

/** The project folder: three levels above this module, from dist/lib/<role>/ and scripts/lib/<role>/ alike (and from the CLI bundle, which sits at the same depth). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The binary: what a git hook or the bench runs. */
export const CLI_PATH = join(PACKAGE_ROOT, 'dist', 'cli.js');

export const COLLECTION_PATH = 'collections/dribbble-oauth.postman_collection.json';
export const DRIBBBLE_ENVIRONMENT_PATH = 'environments/dribbble.postman_environment.json';
export const MOCK_ENVIRONMENT_PATH = 'environments/mock.postman_environment.json';
export const ENV_EXAMPLE_PATH = '.env.example';

export const ITEM_AUTHORIZE = 'Authorize';
export const ITEM_EXCHANGE = 'Exchange code for token';
export const ITEM_GET_USER = findEndpoint('GET', '/user')!.name;
