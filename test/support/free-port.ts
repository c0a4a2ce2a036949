// Ports for unit tests that listen on loopback addresses of their own: outside the ephemeral range
// that a listener on port 0 (any test's server beside them, on 0.0.0.0 or ::) and every outgoing
// connection draw from. A port from the system (port 0), closed and listened on again, could be
// taken in between, and was: EADDRINUSE, then a test waiting 20 s.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:net';

function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low! > 0 && high! >= low!) return [low!, high!];
  } catch {
    // not Linux
  }
  return [32_768, 65_535]; // below it are free of the usual ranges (Linux 32768, macOS and Windows 49152)
}
/** Ports outside the ephemeral range: those below it from 1024 (no privilege), else those above it. */
function portsOutside([low, high]: [number, number]): [number, number] {
  if (low - 1024 >= 1000) return [1024, low - 1];
  if (65_535 - high >= 1000) return [high + 1, 65_535];
  return [1024, 65_535]; // a range of nearly every port: nothing better to choose from
}
const [FIRST, LAST] = portsOutside(ephemeralRange());
/** Listens `server` on a free port outside the ephemeral range, trying others while one is taken; returns the port. */
export async function listenOnFreePort(server: Server, host: string): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = FIRST + Math.floor(Math.random() * (LAST - FIRST + 1));
    const listening = await new Promise<boolean>((resolve) => {
      const fail = () => resolve(false);
      server.once('error', fail).listen(port, host, () => (server.off('error', fail), resolve(true)));
    });
    if (listening) return port;
  }
  throw new Error(`no free port on ${host} in ${FIRST}-${LAST} after 200 tries`);
}
