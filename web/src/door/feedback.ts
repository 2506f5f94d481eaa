/**
 * Sound and vibration after each answer, per the scan settings (`scan_sound`, `scan_vibration`:
 * "1" on, "0" off): one high beep for admitted, two low ones for refused, so staff need not look.
 */
let audio: AudioContext | null = null;

function beep(frequency: number, startsIn: number, seconds: number) {
  audio ??= new AudioContext();
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.type = 'square';
  oscillator.frequency.value = frequency;
  gain.gain.value = 0.15;
  oscillator.connect(gain).connect(audio.destination);
  const t = audio.currentTime + startsIn;
  oscillator.start(t);
  oscillator.stop(t + seconds);
}

export function signal(admitted: boolean, settings: Record<string, string>) {
  try {
    if (settings.scan_sound !== '0') {
      if (admitted) beep(1320, 0, 0.12);
      else {
        beep(220, 0, 0.18);
        beep(220, 0.25, 0.18);
      }
    }
  } catch {
    // No audio (autoplay policy before any tap): the screen still answers.
  }
  if (settings.scan_vibration !== '0' && 'vibrate' in navigator) navigator.vibrate(admitted ? 120 : [200, 100, 200]);
}
