import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web app lives in web/ and builds to web/dist, which the server serves at "/".
const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd + echarts are large; the warning is noise for a government portal served on an intranet.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    port: 5173,
    // In development the API runs separately (npm start on :8080).
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
});
