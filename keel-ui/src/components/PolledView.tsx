import type { ReactNode } from 'react';
import type { Polled } from '../usePoll';
import { ErrorAlert } from './ErrorAlert';
import { Loading } from './Loading';

/** Error above the last data (kept while a poll fails), a spinner until the first answer. */
export function PolledView<T>({ polled, children }: { polled: Polled<T>; children: (data: T) => ReactNode }) {
  return (
    <>
      <ErrorAlert message={polled.error} />
      {polled.data !== undefined ? children(polled.data) : polled.loading ? <Loading /> : null}
    </>
  );
}
