// Opens a report file in headless Chromium (Debian's, via playwright-core) with the network cut
// off, collecting console errors/warnings, page errors and every attempt to fetch something.
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** For node:test's `skip`: false when Chromium is there, else the reason and the fix. */
export const chromiumMissing: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing: run scripts/install-chromium.sh`;

export interface OfflinePage {
  page: Page;
  /** Console errors and warnings, and uncaught page errors. */
  problems: string[];
  /** URLs the page tried to load from anywhere but the file itself (all refused). */
  fetched: string[];
  close(): Promise<void>;
}

export async function openOffline(file: string): Promise<OfflinePage> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    const fetched: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      fetched.push(url);
      return route.abort();
    });
    await page.goto(`file://${file}`);
    return { page, problems, fetched, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
