import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The door app's own page in `vite` dev, as the server does it (src/http/web-app.ts): /door and
 * below answer door.html rather than index.html.
 */
const doorPage = (): Plugin => ({
  name: 'guichet-door-page',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      if (req.url && /^\/door(\/[^.]*)?(\?.*)?$/.test(req.url)) req.url = '/door.html';
      next();
    });
  },
});

// Two pages: index.html (shop, account and manage, each a lazy route whose code is a chunk of its
// own that only its pages load) and door.html (the door app, lean: no router, no TanStack Query, no
// API client). The manifest lets bench:web and bench:door-web size each area.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), doorPage()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      // Each area is named as an entry too: its chunk keeps its own name in the manifest (the server
      // preloads it by that name) even when a lazy part of it, like the seat map, shares its modules.
      input: { index: path.join(import.meta.dirname, 'index.html'), door: path.join(import.meta.dirname, 'door.html'), ...Object.fromEntries(['shop', 'account', 'manage'].map((area) => [area, path.join(import.meta.dirname, `src/${area}/index.tsx`)])) },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
