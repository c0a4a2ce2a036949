// The shapes of what Newman hands back, as far as this project reads them (Newman ships no types).
export interface PostmanHeaderList {
  each(fn: (header: { key: string; value: string; disabled?: boolean }) => void): void;
}
export interface NewmanRequestEventArgs {
  item: { name: string };
  request: { method: string; url: { toString(): string }; headers: PostmanHeaderList; body?: { toString(): string } };
  response?: { code: number; headers: PostmanHeaderList; stream?: Buffer };
}
export interface NewmanSummary {
  environment: { values: { each(fn: (v: { key: string; value: unknown }) => void): void } };
}
export interface NewmanEmitter {
  on(event: 'request', fn: (error: (Error & { code?: string }) | null, args: NewmanRequestEventArgs) => void): NewmanEmitter;
  on(event: 'assertion', fn: (error: Error | null, args: { item: { name: string }; assertion: string }) => void): NewmanEmitter;
  on(event: 'exception', fn: (error: Error | null, args: { error: Error & { message: string } }) => void): NewmanEmitter;
  on(event: 'beforeItem', fn: (error: Error | null, args: { item: { name: string } }) => void): NewmanEmitter;
  on(event: 'beforeRequest', fn: (error: Error | null, args: { item: { name: string }; request: { url: { toString(): string } } }) => void): NewmanEmitter;
}
export interface Newman {
  run(options: object, callback: (error: Error | null, summary: NewmanSummary) => void): NewmanEmitter;
}

