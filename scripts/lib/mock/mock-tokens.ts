// Access tokens the mock issued: each carries the scope of its grant, its user and its client, so
// the API can refuse by scope, answer per user, and tell approved apps from the others.
import { randomBytes } from 'node:crypto';
import { MOCK_DEMO_CLIENT, MOCK_DEMO_USER } from './mock-defaults.js';

export interface TokenRecord {
  userId: number;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

export interface IssueTokenOptions {
  /** Space-separated, as a grant's scope (default "public"). */
  scope?: string;
  /** Default: the demo user (1). */
  userId?: number;
  /** Default: the demo client. */
  clientId?: string;
}

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();

  issue(options: IssueTokenOptions = {}): string {
    const token = randomBytes(32).toString('hex');
    this.tokens.set(token, {
      userId: options.userId ?? MOCK_DEMO_USER.id,
      clientId: options.clientId ?? MOCK_DEMO_CLIENT.clientId,
      scopes: (options.scope ?? 'public').split(/\s+/).filter(Boolean),
      revoked: false,
    });
    return token;
  }

  /** The live token an Authorization: Bearer header carries (only that header: no access_token query). */
  fromHeader(authorization: string | undefined): TokenRecord | undefined {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const record = bearer === undefined ? undefined : this.tokens.get(bearer);
    return record && !record.revoked ? record : undefined;
  }

  revoke(token: string): void {
    const record = this.tokens.get(token);
    if (record) record.revoked = true;
  }
}
