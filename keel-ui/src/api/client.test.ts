import { describe, expect, it, vi } from 'vitest';
import {
  ApiClient,
  ApiError,
  SESSION_EXPIRED_MESSAGE,
  SessionExpiredError,
  errorFromResponse,
  memorySessionStore,
  type Session,
} from './client';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const LIVE: Session = { token: 'tok-1', username: 'superadmin', expiresAt: '2026-12-04T13:00:00Z' };

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: unknown, calls: Call[] = []): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, statusText: 'Status' });
  }) as typeof fetch;
}

function client(status: number, body: unknown, session: Session | null = LIVE, calls: Call[] = []) {
  const store = memorySessionStore(session);
  const onExpired = vi.fn();
  const api = new ApiClient({ store, fetch: fakeFetch(status, body, calls), now: () => NOW, onExpired });
  return { api, store, onExpired };
}

describe('token handling', () => {
  it('stores the session login answers, without sending a token', async () => {
    const calls: Call[] = [];
    const answer = { token: 'new', username: 'superadmin', expiresAt: '2026-12-04T14:00:00Z' };
    const { api, store } = client(200, answer, null, calls);

    const session = await api.login('superadmin', 'pw');

    expect(session).toEqual(answer);
    expect(store.load()).toEqual(answer);
    expect(calls[0].url).toBe('/api/v1/login');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ username: 'superadmin', password: 'pw' });
    expect(new Headers(calls[0].init.headers).has('Authorization')).toBe(false);
  });

  it('sends the bearer token and a JSON body', async () => {
    const calls: Call[] = [];
    const { api } = client(201, { name: 'p' }, LIVE, calls);

    await api.post('/api/v1/policies', { name: 'p', replicas: 2 });

    const headers = new Headers(calls[0].init.headers);
    expect(headers.get('Authorization')).toBe('Bearer tok-1');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ name: 'p', replicas: 2 });
  });

  it('answers undefined for 204', async () => {
    const { api } = client(204, '');
    await expect(api.delete('/api/v1/volumes/v')).resolves.toBeUndefined();
  });

  it('logout forgets the session', () => {
    const { api, store } = client(200, {});
    api.logout();
    expect(store.load()).toBeNull();
    expect(api.session()).toBeNull();
  });
});

describe('error messages', () => {
  it('carries the API message, code and details verbatim', async () => {
    const body = { code: 'conflict', message: 'policy e2e-r2 exists', details: { field: 'name' } };
    const { api } = client(409, body);

    const error = await api.post('/api/v1/policies', { name: 'e2e-r2' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('policy e2e-r2 exists');
    expect((error as ApiError).code).toBe('conflict');
    expect((error as ApiError).status).toBe(409);
    expect((error as ApiError).details).toEqual({ field: 'name' });
  });

  it('falls back to a short text body, then to the status line', () => {
    expect(errorFromResponse(502, 'Bad Gateway', 'upstream down').message).toBe('upstream down');
    expect(errorFromResponse(502, 'Bad Gateway', '<html>oops</html>').message).toBe('HTTP 502 Bad Gateway');
    expect(errorFromResponse(500, '', '').message).toBe('HTTP 500');
    expect(errorFromResponse(503, 'x', '{"code":"quorum_lost"}').message).toBe('quorum_lost');
    expect(errorFromResponse(500, 'x', '[1]').message).toBe('HTTP 500 x');
  });

  it('a wrong password is an error, not an expired session', async () => {
    const { api, onExpired } = client(401, { code: 'unauthorized', message: 'invalid username or password' }, null);

    const error = await api.login('superadmin', 'bad').catch((e: unknown) => e);

    expect(error).not.toBeInstanceOf(SessionExpiredError);
    expect((error as ApiError).message).toBe('invalid username or password');
    expect(onExpired).not.toHaveBeenCalled();
  });
});

describe('session expiry', () => {
  it('a 401 clears the session and reports the expiry once', async () => {
    const { api, store, onExpired } = client(401, { code: 'unauthorized', message: 'token expired' });

    const first = await api.get('/api/v1/nodes').catch((e: unknown) => e);
    const second = await api.get('/api/v1/nodes').catch((e: unknown) => e);

    expect(first).toBeInstanceOf(SessionExpiredError);
    expect((first as Error).message).toBe(SESSION_EXPIRED_MESSAGE);
    expect(second).toBeInstanceOf(SessionExpiredError);
    expect(store.load()).toBeNull();
    expect(onExpired).toHaveBeenCalledTimes(1);
  });

  it('a passed expiresAt expires the session without calling the API', async () => {
    const calls: Call[] = [];
    const old = { ...LIVE, expiresAt: '2026-12-04T11:59:59Z' };
    const { api, store, onExpired } = client(200, [], old, calls);

    expect(api.session()).toBeNull();
    await expect(api.get('/api/v1/nodes')).rejects.toBeInstanceOf(SessionExpiredError);
    expect(calls).toHaveLength(0);
    expect(store.load()).toBeNull();
    expect(onExpired).toHaveBeenCalledTimes(1);
  });

  it('other errors keep the session', async () => {
    const { api, store, onExpired } = client(503, { code: 'quorum_lost', message: 'metadata quorum lost (1 of 3 up)' });

    await expect(api.get('/api/v1/volumes')).rejects.toThrow('metadata quorum lost (1 of 3 up)');
    expect(store.load()).toEqual(LIVE);
    expect(onExpired).not.toHaveBeenCalled();
  });
});

describe('downloads and query strings', () => {
  it('reads file names from Content-Disposition', async () => {
    const { fileNameOf } = await import('./client');
    expect(fileNameOf('attachment; filename="a b.txt"')).toBe('a b.txt');
    expect(fileNameOf('attachment; filename=x.bin')).toBe('x.bin');
    expect(fileNameOf("attachment; filename=\"fallback\"; filename*=UTF-8''%C3%A9t%C3%A9.txt")).toBe('été.txt');
    expect(fileNameOf(null)).toBeNull();
    expect(fileNameOf('inline')).toBeNull();
  });

  it('downloads as a Blob with the bearer token, the API error verbatim otherwise', async () => {
    const seen: RequestInit[] = [];
    const fetchOk = (async (_path: string, init: RequestInit) => {
      seen.push(init);
      return new Response('hello', { status: 200, headers: { 'Content-Disposition': 'attachment; filename="h.txt"' } });
    }) as unknown as typeof fetch;
    const store = memorySessionStore({ token: 'tok', username: 'superadmin', expiresAt: '2999-01-01T00:00:00Z' });
    const api = new ApiClient({ store, fetch: fetchOk });
    const got = await api.download('/api/v1/s3/buckets/b/object?key=h.txt');
    expect(await got.blob.text()).toBe('hello');
    expect(got.fileName).toBe('h.txt');
    expect((seen[0].headers as Record<string, string>).Authorization).toBe('Bearer tok');

    const fetch503 = (async () =>
      new Response(JSON.stringify({ code: 's3_unavailable', message: 'no S3 gateway here; S3 nodes: node2, node3' }), {
        status: 503,
      })) as unknown as typeof fetch;
    const api503 = new ApiClient({ store, fetch: fetch503 });
    await expect(api503.download('/x')).rejects.toThrow('no S3 gateway here; S3 nodes: node2, node3');
  });

  it('builds query strings of the defined values', async () => {
    const { query } = await import('./keel');
    expect(query({ prefix: 'a/b c/', delimiter: '/', after: null, limit: 200 })).toBe('?prefix=a%2Fb%20c%2F&delimiter=%2F&limit=200');
    expect(query({ prefix: '' })).toBe('');
  });
});

describe('upload', () => {
  /** An XMLHttpRequest whose send answers at once with the given status and body. */
  function answeringXhr(status: number, text: string) {
    return class {
      upload = { onprogress: null };
      status = status;
      statusText = 'Status';
      responseText = text;
      onload: (() => void) | null = null;
      headers: Record<string, string> = {};
      open() {}
      setRequestHeader(name: string, value: string) {
        this.headers[name] = value;
      }
      send() {
        this.onload?.();
      }
    };
  }

  function uploader(status: number, text: string) {
    vi.stubGlobal('XMLHttpRequest', answeringXhr(status, text));
    const store = memorySessionStore(LIVE);
    const onExpired = vi.fn();
    const api = new ApiClient({ store, fetch: fakeFetch(200, {}), now: () => NOW, onExpired });
    return { api, store, onExpired };
  }

  it('resolves with the JSON answer', async () => {
    const { api } = uploader(200, '{"key":"a.txt"}');
    await expect(api.upload('PUT', '/api/v1/x', new Blob(['a']), 'text/plain')).resolves.toEqual({ key: 'a.txt' });
    vi.unstubAllGlobals();
  });

  it("rejects with the API's message", async () => {
    const { api } = uploader(409, JSON.stringify({ code: 'exists', message: 'Image exists' }));
    await expect(api.upload('PUT', '/api/v1/x', new Blob(['a']), '')).rejects.toMatchObject({ status: 409, message: 'Image exists' });
    vi.unstubAllGlobals();
  });

  it('ends the session on 401', async () => {
    const { api, store, onExpired } = uploader(401, '');
    await expect(api.upload('PUT', '/api/v1/x', new Blob(['a']), '')).rejects.toBeInstanceOf(SessionExpiredError);
    expect(store.load()).toBeNull();
    expect(onExpired).toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});
