import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

const api = process.env.LINEAGE_API ?? "http://127.0.0.1:8766";

export default defineConfig({
  base: "/",
  plugins: [react()],
  worker: { format: "es" },
  build: {
    outDir: "dist",
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      "/graphql": api,
      "/api": api,
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
