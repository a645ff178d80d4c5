// Pure helpers of the serial console (tested in console.test.ts).

/** The WebSocket URL of a console ticket, on the page's own origin. */
export function consoleUrl(location: { protocol: string; host: string }, path: string, ticket: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const sep = path.includes('?') ? '&' : '?';
  return `${scheme}//${location.host}${path}${sep}ticket=${encodeURIComponent(ticket)}`;
}

/** Terminal output without escape sequences and carriage returns: what a person reads. */
export function stripAnsi(text: string): string {
  return text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g, '')
    .replace(/\u001b[@-Z\\-_]/g, '')
    .replace(/\r/g, '');
}

/** Appends to a transcript, keeping its last max characters. */
export function appendCapped(transcript: string, more: string, max = 65536): string {
  const next = transcript + more;
  return next.length > max ? next.slice(next.length - max) : next;
}
