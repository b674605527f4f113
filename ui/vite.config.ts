// Vite build of the UI into ui/dist, which the Tauri app embeds. Everything is bundled
// locally: no CDN, no network at run time.
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  // The user guide (../docs/guide) is bundled into the app for Help.
  server: { fs: { allow: [".."] } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // GOV.UK Frontend keeps an old-browser media-query hack that lightningcss refuses to minify.
    cssMinify: false,
  },
  css: {
    preprocessorOptions: {
      scss: {
        loadPaths: ["node_modules"],
        quietDeps: true,
        silenceDeprecations: ["import", "global-builtin"],
      },
    },
  },
});
