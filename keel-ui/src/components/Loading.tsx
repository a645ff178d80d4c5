import { Bullseye, Spinner } from '@patternfly/react-core';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <Bullseye className="pf-v6-u-p-lg">
      <Spinner size="xl" aria-label={label} data-testid="loading" />
    </Bullseye>
  );
}
