import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import '@mantine/core/styles.css';
import '../shared/app.css';
import '../shared/i18n.ts';
import { theme } from '../shared/theme.ts';
import DoorApp from './DoorApp.tsx';

/**
 * The door app's own entry (web/door.html, served at /door and below): a gate needs neither the
 * router, TanStack Query, the typed API client nor the browser session of the other areas, so a
 * phone on a weak network downloads only React, Mantine, i18next and the door's own code.
 */
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <DoorApp />
    </MantineProvider>
  </StrictMode>,
);
