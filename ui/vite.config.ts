import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Served by Tauri's custom protocol from ui/dist; the dev server is only for `tauri dev`.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: "dist", emptyOutDir: true, target: "safari15", sourcemap: false },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
