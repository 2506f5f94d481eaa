import { useEffect, useState } from 'react';
import { Box, Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../shared/page.ts';
import { DoorEngine } from './engine.ts';
import { registerOfflineApp } from './offline-app.ts';
import { StartScreen } from './StartScreen.tsx';
import { ScanScreen } from './ScanScreen.tsx';
import './locales.ts';
import './door.css';

/**
 * The door app at /door: the start screen until a session is open on this device, then the scanning
 * screen. The session survives reloads (IndexedDB), with or without a network.
 */
export default function DoorApp() {
  const { t } = useTranslation('door');
  const [engine, setEngine] = useState<DoorEngine | null | undefined>(undefined);
  usePageTitle(t('title'));

  useEffect(() => {
    void registerOfflineApp();
    let cancelled = false;
    DoorEngine.resume().then(
      (resumed) => !cancelled && setEngine(resumed),
      () => !cancelled && setEngine(null),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  if (engine === undefined) {
    return (
      <Center component="main" h="100dvh">
        <Loader aria-label={t('title')} />
      </Center>
    );
  }
  return (
    <Box className="door">
      {engine ? <ScanScreen engine={engine} onEnded={() => setEngine(null)} /> : <StartScreen onStarted={setEngine} />}
    </Box>
  );
}
