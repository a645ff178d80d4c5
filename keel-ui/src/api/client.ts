/**
 * The one way the app talks to the Keel REST API: same origin, JSON, bearer token.
 * Errors carry the API's own message so screens can show it verbatim.
 */
import { UploadInterrupted, sendWithProgress, type UploadAnswer } from './upload';

export interface Session {
  token: string;
  username: string;
  /** ISO-8601 instant from the login answer. */
  expiresAt: string;
}

export interface SessionStore {
  load(): Session | null;
  save(session: Session): void;
  clear(): void;
}

/** A refused or failed call; `message` is the API's message when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const SESSION_EXPIRED_MESSAGE = 'Your session expired, log in again';

/** The session is gone (401 or past expiresAt); the app returns to the login page. */
export class SessionExpiredError extends ApiError {
  constructor() {
    super(401, 'unauthorized', SESSION_EXPIRED_MESSAGE);
    this.name = 'SessionExpiredError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds the error for a non-2xx answer from its status and raw body. */
export function errorFromResponse(status: number, statusText: string, body: string): ApiError {
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : undefined;
  } catch {
    parsed = undefined;
  }
  if (isRecord(parsed) && typeof parsed.message === 'string' && parsed.message !== '') {
    const code = typeof parsed.code === 'string' ? parsed.code : `http_${status}`;
    const details = isRecord(parsed.details) ? parsed.details : {};
    return new ApiError(status, code, parsed.message, details);
  }
  const statusLine = `HTTP ${status} ${statusText}`.trim();
  if (parsed !== undefined) {
    return new ApiError(status, `http_${status}`, isRecord(parsed) && typeof parsed.code === 'string' ? parsed.code : statusLine);
  }
  // A proxy or a crashed server may answer without the API's JSON error body.
  const text = body.trim();
  return new ApiError(status, `http_${status}`, text && text.length <= 300 && !text.startsWith('<') ? text : statusLine);
}

/** The text to show for anything a call threw. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** The file name of a Content-Disposition header (filename* first), or null. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      return star[1].trim();
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(disposition);
  if (plain) return (plain[2] ?? plain[1]).trim();
  return null;
}

export function isExpired(session: Session, now: number): boolean {
  const at = Date.parse(session.expiresAt);
  return Number.isNaN(at) || at <= now;
}

export interface ApiClientOptions {
  store: SessionStore;
  fetch?: typeof fetch;
  now?: () => number;
  /** Called once each time the session ends by 401 or by its expiry. */
  onExpired?: () => void;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class ApiClient {
  private readonly store: SessionStore;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private onExpired: () => void;

  constructor(options: ApiClientOptions) {
    this.store = options.store;
    // Unbound window.fetch throws "Illegal invocation" in browsers.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? (() => Date.now());
    this.onExpired = options.onExpired ?? (() => {});
  }

  setOnExpired(callback: () => void): void {
    this.onExpired = callback;
  }

  /** The stored session, or null when there is none or it has passed its expiresAt. */
  session(): Session | null {
    const session = this.store.load();
    if (session && isExpired(session, this.now())) {
      return null;
    }
    return session;
  }

  async login(username: string, password: string): Promise<Session> {
    const response = await this.fetchImpl('/api/v1/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = await response.text();
    if (!response.ok) {
      // A 401 here is a wrong password, not an expired session.
      throw errorFromResponse(response.status, response.statusText, body);
    }
    const answer = JSON.parse(body) as Session;
    const session: Session = { token: answer.token, username: answer.username, expiresAt: answer.expiresAt };
    this.store.save(session);
    return session;
  }

  logout(): void {
    this.store.clear();
  }

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const session = this.store.load();
    if (!session || isExpired(session, this.now())) {
      this.expire();
      throw new SessionExpiredError();
    }
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${session.token}`,
    };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await this.fetchImpl(path, init);
    const text = await response.text();
    if (response.status === 401) {
      this.expire();
      throw new SessionExpiredError();
    }
    if (!response.ok) {
      throw errorFromResponse(response.status, response.statusText, text);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** The bearer token for calls the JSON helpers cannot make; throws (and expires) without a session. */
  token(): string {
    const session = this.store.load();
    if (!session || isExpired(session, this.now())) {
      this.expire();
      throw new SessionExpiredError();
    }
    return session.token;
  }

  /** GET of a file: the bytes as a Blob, and the file name from Content-Disposition when sent. */
  async download(path: string): Promise<{ blob: Blob; fileName: string | null }> {
    const token = this.token();
    const response = await this.fetchImpl(path, { method: 'GET', headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 401) {
      this.expire();
      throw new SessionExpiredError();
    }
    if (!response.ok) {
      throw errorFromResponse(response.status, response.statusText, await response.text());
    }
    return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('Content-Disposition')) };
  }

  /** Sends a file as the raw body, reporting progress; resolves with the JSON answer. */
  async upload<T>(
    method: 'PUT' | 'POST',
    path: string,
    body: Blob,
    contentType: string,
    onProgress?: (sent: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    const token = this.token();
    const headers = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'Content-Type': contentType || 'application/octet-stream',
    };
    let answer: UploadAnswer;
    try {
      answer = await sendWithProgress({ method, path, body, headers, onProgress, signal });
    } catch (e) {
      if (e instanceof UploadInterrupted) {
        throw e.reason === 'network'
          ? new ApiError(0, 'network', `Upload of ${path} failed: network error`)
          : new ApiError(0, 'aborted', 'Upload cancelled');
      }
      throw e;
    }
    if (answer.status === 401) {
      this.expire();
      throw new SessionExpiredError();
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw errorFromResponse(answer.status, answer.statusText, answer.text);
    }
    try {
      return (answer.text ? JSON.parse(answer.text) : undefined) as T;
    } catch {
      // A 2xx whose body is not JSON still means the file arrived.
      return undefined as T;
    }
  }

  private expire(): void {
    const hadSession = this.store.load() !== null;
    this.store.clear();
    if (hadSession) {
      this.onExpired();
    }
  }
}

/** Keeps the session for this browser tab only. */
export function browserSessionStore(storage: Storage, key = 'keel.session'): SessionStore {
  return {
    load() {
      const raw = storage.getItem(key);
      if (!raw) {
        return null;
      }
      try {
        const value: unknown = JSON.parse(raw);
        if (isRecord(value) && typeof value.token === 'string' && typeof value.expiresAt === 'string') {
          return { token: value.token, username: String(value.username ?? ''), expiresAt: value.expiresAt };
        }
      } catch {
        // A corrupt entry is treated as no session.
      }
      return null;
    },
    save(session) {
      storage.setItem(key, JSON.stringify(session));
    },
    clear() {
      storage.removeItem(key);
    },
  };
}

export function memorySessionStore(initial: Session | null = null): SessionStore {
  let current = initial;
  return {
    load: () => current,
    save: (session) => {
      current = session;
    },
    clear: () => {
      current = null;
    },
  };
}
