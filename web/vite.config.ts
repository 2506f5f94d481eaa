import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// One build for the whole web app; each area (shop, account, manage, door) is a lazy route, so its
// code is a chunk of its own that only its pages load. The manifest lets bench:web size each area.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
