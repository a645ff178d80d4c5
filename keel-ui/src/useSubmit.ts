import { useCallback, useState } from 'react';
import { messageOf } from './api/client';

/**
 * Runs a form's or dialog's action, keeping the API's refusal verbatim. After success the button
 * stays busy, because the dialog closes or the screen moves on; `settle` ends that for a form
 * that stays on screen.
 */
export function useSubmit({ settle = false }: { settle?: boolean } = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = useCallback(
    async (action: () => Promise<unknown>) => {
      setBusy(true);
      setError(undefined);
      try {
        await action();
        if (settle) setBusy(false);
      } catch (e) {
        setError(messageOf(e));
        setBusy(false);
      }
    },
    [settle],
  );
  return { busy, error, setError, run: submit };
}
