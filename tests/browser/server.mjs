// Start a satudata demo instance on a free port with its own data directory, for browser tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';

export const repo = resolve(import.meta.dirname, '..', '..');
export const screenshots = join(repo, 'target', 'screenshots');
mkdirSync(screenshots, { recursive: true });

function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Start `satudata demo`; resolves to { base, stop } once /healthz answers. */
export async function startDemo() {
  const bin = process.env.SATUDATA_BIN || join(repo, 'target', 'debug', 'satudata');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'satudata-browser-'));
  const child = spawn(bin, ['demo', '--listen', `127.0.0.1:${port}`, '--data-dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      RUST_LOG: 'warn',
      // The demo draws its maps from the reference boundaries beside the repository.
      SATUDATA_BOUNDARIES_DIR: join(repo, '..', 'shared', 'reference', 'boundaries'),
      ...process.env,
    },
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`satudata demo exited early:\n${output}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return { base, stop: () => child.kill('SIGTERM'), output: () => output };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`satudata demo did not answer /healthz within 30 s:\n${output}`);
}

/** Launch Debian's Chromium headless. */
export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/**
 * Open a page that records console errors, failed responses and requests that leave the instance.
 */
export async function openPage(browser, base, width) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'id-ID' });
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(base).origin;
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:')) problems.push(`third-party request: ${u}`);
  });
  page.on('response', (r) => { if (r.status() >= 500) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  return { context, page, problems };
}

/**
 * Lighthouse-style basics on the current page: every image and chart has a text alternative,
 * every form field a label, nothing wider than the screen. Returns a list of problems.
 */
export async function basics(page) {
  return page.evaluate(() => {
    const out = [];
    for (const img of document.querySelectorAll('img')) {
      if (!img.hasAttribute('alt')) out.push(`img without alt: ${img.src}`);
    }
    for (const svg of document.querySelectorAll('svg')) {
      if (svg.closest('[aria-hidden="true"]') || svg.getAttribute('aria-hidden') === 'true') continue;
      if (svg.parentElement && svg.parentElement.closest('svg')) continue;
      const named = svg.getAttribute('aria-label') || svg.getAttribute('aria-labelledby') || svg.querySelector(':scope > title');
      if (svg.getAttribute('role') !== 'img' || !named) out.push(`svg without role=img and a title: ${svg.outerHTML.slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (['hidden', 'submit', 'button'].includes(el.type)) continue;
      const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label')
        || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!labelled) out.push(`field without label: ${el.outerHTML.slice(0, 80)}`);
    }
    // WCAG 2.1 AA contrast (1.4.3): 4.5:1 for text, 3:1 for large text (≥ 24 px, or ≥ 18.66 px bold),
    // of every visible element with text of its own against the first opaque background behind it.
    const rgb = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const [r, g, b, a = 1] = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return { r, g, b, a }; };
    const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && c.a >= 1) return c; }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const low = new Set();
    for (const el of document.body.querySelectorAll('*')) {
      if (!el.childNodes || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
      if (el.closest('svg, .visually-hidden, [aria-hidden="true"]')) continue;
      const st = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (st.visibility === 'hidden' || st.display === 'none' || box.width === 0 || box.height === 0) continue;
      const fg = rgb(st.color);
      if (!fg) continue;
      const bg = background(el);
      const mix = { r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a) };
      const [hi, lo] = [lum(mix), lum(bg)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(st.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) low.add(`contrast ${ratio.toFixed(2)}:1 of <${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> "${el.textContent.trim().slice(0, 30)}"`);
    }
    out.push(...[...low].slice(0, 5));
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) out.push(`${h1} h1 elements`);
    if (!document.documentElement.lang) out.push('no lang on <html>');
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
      // Name the element that sticks out: the deepest one whose right edge passes the screen's,
      // outside any container that scrolls on its own.
      const scrolls = (el) => { for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) { const o = getComputedStyle(e).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
      const wide = [...document.body.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && (!scrolls(el) || getComputedStyle(el).position === 'absolute'))
        .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)));
      if (wide.length === 0) {
        // Nothing sticks out by its box: name the boxes reaching furthest right instead.
        wide.push(...[...document.body.querySelectorAll('*')]
          .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right).slice(0, 3));
      }
      const names = wide.slice(0, 3).map((el) => `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}>${(el.textContent || '').trim().slice(0, 40)}`);
      out.push(`page is wider than the screen: ${document.documentElement.scrollWidth} > ${window.innerWidth} (${names.join('; ')})`);
    }
    return out;
  });
}

/** Log in with the login form as `username`; waits for the workspace. */
export async function login(page, base, username, password) {
  await page.goto(base + '/masuk?next=/ruang-kerja');
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(/\/ruang-kerja$/);
}
