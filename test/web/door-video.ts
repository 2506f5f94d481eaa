import fs from 'node:fs';
import QRCode from 'qrcode';

/**
 * A video for Chromium's fake camera (`--use-file-for-fake-video-capture=<file>.y4m`): a ticket's QR
 * code, drawn from the same QR matrix the ticket's image is made of, black on white, in the middle
 * of a grey frame, as a phone held up to the camera would show it. Y4M is raw 4:2:0 frames; the
 * chroma planes are neutral (grey scale), which is all a QR decoder reads.
 */
export function writeQrVideo(file: string, text: string, options: { width?: number; height?: number; frames?: number; moduleSize?: number } = {}) {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const frames = options.frames ?? 10;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const quiet = 4; // the quiet zone QR codes need around them, in modules
  const cell = options.moduleSize ?? Math.floor(Math.min(width, height) * 0.85 / (size + 2 * quiet));
  const side = (size + 2 * quiet) * cell;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const luma = Buffer.alloc(width * height, 90); // a grey background, like a scene
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / cell) - quiet;
      const my = Math.floor(y / cell) - quiet;
      const dark = mx >= 0 && my >= 0 && mx < size && my < size && qr.modules.get(my, mx) === 1;
      luma[(top + y) * width + left + x] = dark ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, `YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  for (let i = 0; i < frames; i++) {
    fs.writeSync(out, 'FRAME\n');
    fs.writeSync(out, luma);
    fs.writeSync(out, chroma);
  }
  fs.closeSync(out);
  return { width, height, modules: size, cell };
}
