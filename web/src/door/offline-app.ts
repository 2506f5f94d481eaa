import { warmUpDecoder } from './camera.ts';

/**
 * Makes the door open offline (door.html links the web app manifest that makes it installable):
 * the service worker, told which files this page loaded (they were fetched before it took control)
 * and given the QR decoder's worker and .wasm once, so the camera works offline too.
 */
export async function registerOfflineApp(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  try {
    const registration = await navigator.serviceWorker.register('/door-sw.js', { scope: '/door' });
    await navigator.serviceWorker.ready;
    const active = registration.active;
    const loaded = performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => u.startsWith(location.origin) && !u.includes('/api/'));
    const channel = new MessageChannel();
    const cached = new Promise((resolve) => (channel.port1.onmessage = resolve));
    active?.postMessage({ type: 'cache', urls: ['/door', '/door/manifest.webmanifest', '/door/icon.svg', ...loaded] }, [channel.port2]);
    await cached;
    // Once the worker controls the page, the decoder's own fetches go through it and are cached.
    if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    await warmUpDecoder();
    // Read by the journey tests (and nothing else): the door now opens and scans without a network.
    document.documentElement.dataset.doorOffline = 'ready';
    return true;
  } catch {
    return false;
  }
}
