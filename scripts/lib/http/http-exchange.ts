// One HTTP request and its answer, as a run reports them: what every reader of an answer takes.
export interface HttpExchange {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ItemRun {
  name: string;
  /** What was sent, for tests and diagnostics (secrets are the caller's to mask). */
  request?: { method: string; url: string; headers: Record<string, string>; body: string };
  response?: HttpExchange;
  /** A transport failure: refused, DNS, timeout, TLS. */
  transportError?: { code?: string; message: string };
  /** Failed test assertions and script errors, in order. */
  failures: string[];
}
