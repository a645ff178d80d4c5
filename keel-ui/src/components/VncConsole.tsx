import { Button } from '@patternfly/react-core';
import { useEffect, useRef, useState } from 'react';
import { messageOf } from '../api/client';
import { useApi } from '../auth';
import { ConsoleFrame, type ConsoleState } from './ConsoleFrame';
import { consoleUrl } from '../console';

type State = ConsoleState;

interface Rfb {
  disconnect(): void;
  sendCtrlAltDel(): void;
}

/**
 * The VM's VNC display: noVNC (loaded on demand, it is large) over the WebSocket at the path of
 * a vnc ticket from POST /api/v1/vms/{vm}/console, with ?ticket=.
 */
export function VncConsole({ vm }: { vm: string }) {
  const api = useApi();
  const host = useRef<HTMLDivElement>(null);
  const rfb = useRef<Rfb | null>(null);
  const [state, setState] = useState<State>('connecting');
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let closed = false;
    setState('connecting');
    setError(undefined);
    Promise.all([import('@novnc/novnc'), api.consoleTicket(vm, 'vnc')]).then(
      ([module, ticket]) => {
        if (closed) return;
        const RFB = module.default;
        const client = new RFB(element, consoleUrl(window.location, ticket.path, ticket.ticket), { shared: true });
        client.scaleViewport = true;
        client.background = '#000';
        client.addEventListener('connect', () => setState('connected'));
        client.addEventListener('disconnect', (event) => {
          setState('closed');
          const clean = (event as CustomEvent<{ clean: boolean }>).detail?.clean;
          if (!closed && !clean) setError('The VNC connection closed unexpectedly.');
        });
        client.addEventListener('securityfailure', (event) => {
          const reason = (event as CustomEvent<{ reason?: string }>).detail?.reason;
          setError(`VNC security failure${reason ? `: ${reason}` : ''}`);
        });
        rfb.current = client;
      },
      (e: unknown) => {
        if (!closed) {
          setError(messageOf(e));
          setState('closed');
        }
      },
    );
    return () => {
      closed = true;
      rfb.current?.disconnect();
      rfb.current = null;
    };
  }, [api, vm, attempt]);

  return (
    <ConsoleFrame
      kind="vnc"
      title="VNC console"
      state={state}
      error={error}
      onReconnect={() => setAttempt(attempt + 1)}
      actions={
        <>
          <Button variant="secondary" size="sm" isDisabled={state !== 'connected'} onClick={() => rfb.current?.sendCtrlAltDel()}>
            Send Ctrl+Alt+Del
          </Button>{' '}
        </>
      }
    >
      <div ref={host} style={{ width: '100%', height: '600px', background: '#000' }} />
    </ConsoleFrame>
  );
}
