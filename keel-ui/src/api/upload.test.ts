import { describe, expect, it, vi } from 'vitest';
import { UploadInterrupted, sendWithProgress } from './upload';

/** Records what was sent and lets a test fire the events a browser would. */
class FakeXhr {
  method = '';
  path = '';
  headers: Record<string, string> = {};
  sent: unknown;
  status = 0;
  statusText = '';
  responseText = '';
  upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, path: string) {
    this.method = method;
    this.path = path;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.sent = body;
  }
  abort() {
    this.onabort?.();
  }
  answer(status: number, text: string) {
    this.status = status;
    this.statusText = 'Status';
    this.responseText = text;
    this.onload?.();
  }
}

function start(signal?: AbortSignal) {
  const xhr = new FakeXhr();
  const onProgress = vi.fn();
  const body = new Blob(['hello']);
  const answer = sendWithProgress(
    { method: 'PUT', path: '/api/v1/x', body, headers: { Authorization: 'Bearer t' }, onProgress, signal },
    () => xhr as unknown as XMLHttpRequest,
  );
  return { xhr, onProgress, body, answer };
}

describe('sendWithProgress', () => {
  it('sends the file as the body with the headers given', () => {
    const { xhr, body } = start();
    expect(xhr.method).toBe('PUT');
    expect(xhr.path).toBe('/api/v1/x');
    expect(xhr.headers).toEqual({ Authorization: 'Bearer t' });
    expect(xhr.sent).toBe(body);
  });

  it('reports progress, with the file size when the browser leaves the total out', () => {
    const { xhr, onProgress } = start();
    xhr.upload.onprogress?.({ loaded: 2, total: 5, lengthComputable: true });
    xhr.upload.onprogress?.({ loaded: 3, total: 0, lengthComputable: false });
    expect(onProgress.mock.calls).toEqual([
      [2, 5],
      [3, 5],
    ]);
  });

  it('resolves with any HTTP answer, a refusal included', async () => {
    const { xhr, answer } = start();
    xhr.answer(409, '{"message":"exists"}');
    await expect(answer).resolves.toEqual({ status: 409, statusText: 'Status', text: '{"message":"exists"}' });
  });

  it('rejects when no answer came', async () => {
    const { xhr, answer } = start();
    xhr.onerror?.();
    await expect(answer).rejects.toEqual(new UploadInterrupted('network'));
  });

  it('aborts when the signal fires', async () => {
    const controller = new AbortController();
    const { answer } = start(controller.signal);
    controller.abort();
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadInterrupted);
    expect((error as UploadInterrupted).reason).toBe('aborted');
  });
});
