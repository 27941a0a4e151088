// The public pages in headless Chromium, at 360 px (a cheap phone) and 1280 px: they render, say
// what their images are, label their fields, fit the screen, make no third-party request and log no
// error. Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDemo, launch, openPage, basics, screenshots } from './server.mjs';

let server;
let browser;

before(async () => {
  server = await startDemo();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const pages = [
  ['beranda', '/'],
  ['cari', '/dataset?q=penduduk'],
  ['dataset', '/dataset/jumlah-penduduk-desa'],
  ['desa', '/wilayah/16.06.01.2001'],
  ['kecamatan', '/wilayah/16.06.01'],
  ['kabupaten', '/wilayah/16.06'],
  ['organisasi', '/organisasi'],
  ['kemutakhiran', '/kemutakhiran'],
  ['kode-referensi', '/kode-referensi'],
  ['kode-referensi-jenis-kelamin', '/kode-referensi/jenis-kelamin'],
  ['english', '/dataset?lang=en'],
];

for (const width of [360, 1280]) {
  test(`public pages at ${width} px`, async () => {
    const { context, page, problems } = await openPage(browser, server.base, width);
    try {
      for (const [name, path] of pages) {
        const res = await page.goto(server.base + path);
        assert.equal(res.status(), 200, `${path} answered ${res.status()}`);
        const found = await basics(page);
        assert.deepEqual(found, [], `${path}: ${found.join('; ')}`);
        await page.screenshot({ path: join(screenshots, `${name}-${width}.png`), fullPage: true });
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

test('search, then a dataset page that sorts and filters without JavaScript', async () => {
  const { context, page, problems } = await openPage(browser, server.base, 1280);
  try {
    await page.goto(server.base + '/');
    await page.getByLabel('Cari dataset').fill('penduduk');
    await page.getByRole('button', { name: 'Cari' }).click();
    await page.waitForURL(/\/dataset\?q=penduduk/);
    const first = page.locator('ul.datasets h3 a').first();
    const title = await first.textContent();
    await first.click();
    await page.waitForSelector('h1');
    assert.equal((await page.locator('h1').textContent()).trim(), title.trim());
    // Sort by clicking a column head twice: descending.
    await page.locator('#tabel table.data thead th a').last().click();
    await page.waitForURL(/urut=[^-&]/);
    await page.locator('#tabel table.data thead th a').last().click();
    await page.waitForURL(/urut=-/);
    assert.equal(await page.locator('#tabel table.data thead th').last().getAttribute('aria-sort'), 'descending');
    // On a fresh page the keyboard reaches the skip link first.
    await page.goto(server.base + '/dataset');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('pages work with JavaScript switched off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  try {
    await page.goto(server.base + '/dataset?q=penduduk');
    await page.locator('ul.datasets h3 a').first().click();
    await page.waitForSelector('[aria-label="Pratinjau tabel"] table');
    await page.selectOption('#kolom', { index: 0 });
    await page.fill('#nilai', '16.06.01');
    await page.getByRole('button', { name: 'Saring' }).click();
    await page.waitForURL(/nilai=16\.06\.01/);
    assert.ok(await page.locator('[aria-label="Pratinjau tabel"] table tbody tr').count() > 0);
    // The chart is drawn on the server, so it is there without JavaScript too.
    assert.ok(await page.locator('figure.chart svg[role="img"]').count() > 0);
  } finally {
    await context.close();
  }
});
