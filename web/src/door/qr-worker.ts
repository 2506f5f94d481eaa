/// <reference lib="webworker" />
/**
 * Decodes QR codes from camera frames off the main thread with ZXing-C++ (zxing-wasm). The .wasm is
 * bundled and served by Guichet itself: the library's default (a CDN) is overridden.
 */
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

prepareZXingModule({
  overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? new URL(wasmUrl, self.location.href).href : prefix + path) },
  fireImmediately: true,
}).then(
  () => self.postMessage({ ready: true }),
  (error: unknown) => self.postMessage({ error: String(error) }),
);

self.onmessage = async (event: MessageEvent<{ id: number; image: ImageData }>) => {
  try {
    const results = await readBarcodes(event.data.image, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
    self.postMessage({ id: event.data.id, text: results.find((r) => r.isValid)?.text ?? null });
  } catch (error) {
    self.postMessage({ id: event.data.id, text: null, error: String(error) });
  }
};
