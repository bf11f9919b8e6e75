// The browser the viewer tests drive: Debian's chromium package (.ci/run
// installs it), through playwright-core, which brings no browser of its own.
// playwright-core 1.64.1 is pinned for the Chromium 156 it speaks to.

import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

const CANDIDATES = [process.env.PAGERACE_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** The Chromium binary, or undefined when none is installed. */
export const chromiumPath = CANDIDATES.find((p): p is string => p !== undefined && p !== "" && existsSync(p));

/** Why the browser tests cannot run here, or false when they can. */
export const browserSkip = chromiumPath === undefined ? "Chromium is not installed (apt-get install chromium; .ci/run installs it): the viewer's browser tests are skipped" : false;

export function launchChromium(): Promise<Browser> {
  // As root (CI), Chromium refuses to start with its sandbox.
  return chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"], timeout: 60_000 });
}

/** Where tests leave screenshots: PAGERACE_ARTIFACTS, else a folder in the system's temporary directory (outside the checkout). */
export function artifactsDir(): string {
  const dir = process.env.PAGERACE_ARTIFACTS ?? join(tmpdir(), "pagerace-test-artifacts");
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface OpenedPage {
  readonly page: Page;
  /** Console errors, uncaught exceptions, and dialogs (alert, confirm, prompt) the page raised. */
  readonly problems: string[];
}

/** Opens a viewer file and waits until its script has drawn the page (or failed). */
export async function openViewer(browser: Browser, file: string, viewport = { width: 1500, height: 1000 }): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`dialog (${d.type()}): ${d.message()}`);
    void d.dismiss();
  });
  // Nothing may be fetched: the page is self-contained.
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) problems.push(`request: ${r.url()}`);
  });
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 60_000 });
  return { page, problems };
}
