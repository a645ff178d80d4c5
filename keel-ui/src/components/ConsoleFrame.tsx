import { Alert, Button, Label } from '@patternfly/react-core';
import type { ReactNode } from 'react';

export type ConsoleState = 'connecting' | 'connected' | 'closed';

interface Props {
  /** Prefix of the test ids: `<kind>-console` and `<kind>-state`, which the journey finds. */
  kind: 'serial' | 'vnc';
  title: string;
  state: ConsoleState;
  error?: string;
  onReconnect(): void;
  /** Buttons of this console's own, shown after its state. */
  actions?: ReactNode;
  children: ReactNode;
}

/** What both consoles show around their screen: the connection state, reconnect, the error. */
export function ConsoleFrame({ kind, title, state, error, onReconnect, actions, children }: Props) {
  return (
    <div data-testid={`${kind}-console`}>
      <div className="pf-v6-u-mb-sm">
        <Label color={state === 'connected' ? 'green' : state === 'connecting' ? 'blue' : 'grey'}
          data-testid={`${kind}-state`}>
          {state}
        </Label>{' '}
        {actions}
        {state === 'closed' ? (
          <Button variant="secondary" size="sm" onClick={onReconnect}>
            Reconnect
          </Button>
        ) : null}
      </div>
      {error ? (
        <Alert variant="danger" isInline title={title} data-testid="api-error" className="pf-v6-u-mb-sm">
          {error}
        </Alert>
      ) : null}
      {children}
    </div>
  );
}
