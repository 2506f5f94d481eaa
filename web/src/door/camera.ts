/**
 * The camera: frames from getUserMedia are drawn to a canvas a few times a second and decoded by
 * the QR worker. The same code read again within a short delay is ignored (a ticket held in front
 * of the camera is one scan, not ten).
 */
export interface CameraScanner {
  stop(): void;
}

const REPEAT_MS = 3000;

export async function startCamera(video: HTMLVideoElement, onCode: (code: string) => void, options: { intervalMs?: number } = {}): Promise<CameraScanner> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  const worker = new Worker(new URL('./qr-worker.ts', import.meta.url), { type: 'module' });
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  let busy = false;
  let stopped = false;
  let last = { code: '', at: 0 };
  let id = 0;
  worker.onmessage = (event: MessageEvent<{ id?: number; text?: string | null }>) => {
    if (event.data.id === undefined) return;
    busy = false;
    const text = event.data.text;
    if (!text || stopped) return;
    const t = Date.now();
    if (text === last.code && t - last.at < REPEAT_MS) return;
    last = { code: text, at: t };
    onCode(text);
  };
  const timer = setInterval(() => {
    if (busy || stopped || video.readyState < 2 || !video.videoWidth) return;
    // Downscale large frames: QR codes on phones are big in the picture, and smaller frames decode faster.
    const scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    busy = true;
    worker.postMessage({ id: ++id, image: context.getImageData(0, 0, canvas.width, canvas.height) });
  }, options.intervalMs ?? 150);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      worker.terminate();
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}

/** Loads the decoder (worker and .wasm) once and stops it: the service worker keeps them for offline use. */
export async function warmUpDecoder(timeoutMs = 15000): Promise<boolean> {
  const worker = new Worker(new URL('./qr-worker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      worker.onmessage = (event: MessageEvent<{ ready?: boolean; error?: string }>) => {
        clearTimeout(timer);
        resolve(Boolean(event.data.ready));
      };
    });
  } finally {
    worker.terminate();
  }
}
