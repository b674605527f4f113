// The user guide (docs/guide/*.md), bundled into the app at build time so Help works offline:
// each page's markdown as text, its screenshots as bundled assets, rendered with `marked`.
// Links between pages become the app's #/help/<page> addresses; image paths become the assets'.
import { Marked } from "marked";

const pages = import.meta.glob("../../../docs/guide/*.md", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

const images = import.meta.glob("../../../docs/guide/images/*.png", {
  query: "?url",
  import: "default",
  eager: true,
}) as Record<string, string>;

const base = (path: string) => (path.split("/").pop() ?? path).replace(/\.md$/, "");

/** The guide's pages by name (`index`, `install`, `borough`, `loti`), with their titles. */
export const GUIDE: { name: string; title: string; markdown: string }[] = Object.entries(pages)
  .map(([path, markdown]) => ({
    name: base(path),
    title: /^#\s+(.+)$/m.exec(markdown)?.[1] ?? base(path),
    markdown,
  }))
  .sort((a, b) => (a.name === "index" ? -1 : b.name === "index" ? 1 : 0));

const marked = new Marked({
  gfm: true,
  walkTokens(token) {
    if (token.type === "link") {
      const page = /^([a-z0-9-]+)\.md(#.*)?$/.exec(token.href);
      if (page) token.href = `#/help/${page[1]}`;
    } else if (token.type === "image") {
      token.href = images[`../../../docs/guide/${token.href}`] ?? token.href;
    }
  },
});

/** The page's HTML, or null if there is no such page. The text is the guide's own, not a user's. */
export function render(name: string): string | null {
  const page = GUIDE.find((p) => p.name === name);
  return page ? (marked.parse(page.markdown, { async: false }) as string) : null;
}
