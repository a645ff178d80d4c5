import '@patternfly/react-core/dist/styles/base.css';
import './app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient, browserSessionStore } from './api/client';
import { App } from './App';

const client = new ApiClient({ store: browserSessionStore(window.sessionStorage) });

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
