// The bundled mock server's fixed address and public demo application. The mock environment file
// and `npm run mock` share these, so they can never disagree. None of them is a real secret.

export const MOCK_HOST = '127.0.0.1';
export const MOCK_DEFAULT_PORT = 8737;
export const MOCK_CALLBACK_PORT = 8738;

export const MOCK_DEMO_CLIENT = {
  name: 'Demo portfolio',
  clientId: 'demo-client-id',
  clientSecret: 'demo-client-secret-not-a-real-secret',
  redirectUri: `http://${MOCK_HOST}:${MOCK_CALLBACK_PORT}/auth/dribbble/callback`,
} as const;

/**
 * The user the mock signs in: a pro player (so it may upload shots and attachments), in the shape
 * Dribbble documents (an HTML bio, links with twitter).
 */
export const MOCK_DEMO_USER = {
  id: 1,
  name: 'Demo Designer',
  login: 'demo-designer',
  html_url: 'https://dribbble.com/demo-designer',
  avatar_url: 'https://cdn.dribbble.com/users/1/avatars/normal/demo.png',
  bio: 'Shots for the <a href="https://dribbble.com/demo-designer">bundled mock server</a>.',
  location: 'Salem, MA',
  links: { web: 'https://example.com', twitter: 'https://twitter.com/demo-designer' },
  can_upload_shot: true,
  pro: true,
  followers_count: 42,
  created_at: '2020-01-01T00:00:00Z',
  type: 'Player',
  teams: [] as Array<{ id: number } & Record<string, unknown>>,
};

/** The mock serves both Dribbble's origins from one: what oauth_origin and api_origin hold. */
export function mockOrigin(port: number = MOCK_DEFAULT_PORT): string {
  return `http://${MOCK_HOST}:${port}`;
}
