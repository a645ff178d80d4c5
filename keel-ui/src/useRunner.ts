import { useCallback, useState } from 'react';
import { SessionExpiredError, messageOf } from './api/client';

/** Runs row actions one at a time, keeping the last refusal's message verbatim. */
export function useRunner(after?: () => void) {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const run = useCallback(
    async (key: string, action: () => Promise<unknown>) => {
      setBusy(key);
      setError(undefined);
      try {
        await action();
      } catch (e) {
        if (!(e instanceof SessionExpiredError)) setError(messageOf(e));
      }
      setBusy(undefined);
      after?.();
    },
    [after],
  );
  return { busy, error, setError, run };
}
