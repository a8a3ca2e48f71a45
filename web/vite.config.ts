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
    // Pages are split by route (React.lazy in App.tsx). The big libraries get chunks of their own
    // (Rolldown's successor to Rollup's manualChunks): they change far less often than our code,
    // so a release re-downloads only the app's small chunks, and echarts loads only with a chart.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 20 },
            // antd pieces that several pages share (buttons, forms, alerts); a piece one page alone
            // uses (the workbench's Table) stays with that page instead of weighing on the first.
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+)[\\/]/, minShareCount: 2, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    // In development the API runs separately (npm start on :8080).
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
});
