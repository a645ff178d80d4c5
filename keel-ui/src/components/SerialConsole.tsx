import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { messageOf } from '../api/client';
import { useApi } from '../auth';
import { ConsoleFrame, type ConsoleState } from './ConsoleFrame';
import { appendCapped, consoleUrl, stripAnsi } from '../console';

declare global {
  interface Window {
    /** Test hook: what the serial console showed, escape sequences stripped (the e2e journey reads it). */
    __keelSerial?: { vm: string; text(): string; state(): string };
  }
}

type State = ConsoleState;

/**
 * The VM's serial console: a single-use ticket from POST /api/v1/vms/{vm}/console, then the
 * WebSocket at its path with ?ticket=; output bytes go to xterm.js, keystrokes back as bytes.
 */
export function SerialConsole({ vm }: { vm: string }) {
  const api = useApi();
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>('connecting');
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 14, rows: 30, scrollback: 5000 });
    term.open(element);
    let transcript = '';
    let socket: WebSocket | undefined;
    let closed = false;
    const decoder = new TextDecoder();
    window.__keelSerial = { vm, text: () => transcript, state: () => (socket?.readyState === WebSocket.OPEN ? 'connected' : 'closed') };
    setState('connecting');
    setError(undefined);

    api.consoleTicket(vm, 'serial').then(
      (ticket) => {
        if (closed) return;
        socket = new WebSocket(consoleUrl(window.location, ticket.path, ticket.ticket));
        socket.binaryType = 'arraybuffer';
        socket.onopen = () => {
          setState('connected');
          term.focus();
        };
        socket.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
          const bytes = typeof event.data === 'string' ? new TextEncoder().encode(event.data) : new Uint8Array(event.data);
          term.write(bytes);
          transcript = appendCapped(transcript, stripAnsi(decoder.decode(bytes, { stream: true })));
        };
        socket.onclose = (event) => {
          setState('closed');
          if (!closed && event.code !== 1000) {
            setError(event.reason || `The console connection closed (code ${event.code}).`);
          }
        };
      },
      (e: unknown) => {
        if (!closed) {
          setError(messageOf(e));
          setState('closed');
        }
      },
    );
    const typed = term.onData((data) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(new TextEncoder().encode(data));
    });

    return () => {
      closed = true;
      typed.dispose();
      socket?.close(1000);
      term.dispose();
      if (window.__keelSerial?.vm === vm) delete window.__keelSerial;
    };
  }, [api, vm, attempt]);

  return (
    <ConsoleFrame kind="serial" title="Serial console" state={state} error={error} onReconnect={() => setAttempt(attempt + 1)}>
      <div ref={host} style={{ background: '#000', padding: '4px' }} />
    </ConsoleFrame>
  );
}
