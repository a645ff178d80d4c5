export interface UploadRequest {
  method: 'PUT' | 'POST';
  path: string;
  body: Blob;
  headers: Record<string, string>;
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

/** Whatever HTTP answer came back, success or not: the caller decides what a status means. */
export interface UploadAnswer {
  status: number;
  statusText: string;
  text: string;
}

/** No HTTP answer at all: the connection failed, or the signal cancelled the upload. */
export class UploadInterrupted extends Error {
  constructor(readonly reason: 'network' | 'aborted') {
    super(reason === 'network' ? 'network error' : 'Upload cancelled');
  }
}

/**
 * Sends a file as the raw body with XMLHttpRequest, because its upload events give progress and
 * fetch has none. `newXhr` is for tests.
 */
export function sendWithProgress(request: UploadRequest, newXhr: () => XMLHttpRequest = () => new XMLHttpRequest()): Promise<UploadAnswer> {
  const { method, path, body, headers, onProgress, signal } = request;
  return new Promise<UploadAnswer>((resolve, reject) => {
    const xhr = newXhr();
    xhr.open(method, path);
    for (const [name, value] of Object.entries(headers)) {
      xhr.setRequestHeader(name, value);
    }
    // Some browsers leave the total out (lengthComputable false); the file's size is the same number.
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : body.size);
    xhr.onerror = () => reject(new UploadInterrupted('network'));
    xhr.onabort = () => reject(new UploadInterrupted('aborted'));
    xhr.onload = () => resolve({ status: xhr.status, statusText: xhr.statusText, text: xhr.responseText });
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(body);
  });
}
