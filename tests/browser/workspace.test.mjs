// The workspace in headless Chromium, at 360 px and 1280 px: log in with the login form as the demo's
// produsen, walidata and admin, open their pages; each renders, labels its fields, fits the screen,
// makes no third-party request and logs no error. Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDemo, launch, openPage, basics, screenshots, login as logIn } from './server.mjs';

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

const login = (page, username, password) => logIn(page, server.base, username, password);

const roles = [
  ['produsen', 'demo-produsen-2026', ['/ruang-kerja', '/ruang-kerja/dataset-baru', '/ruang-kerja/daftar-data']],
  ['walidata', 'demo-walidata-2026', ['/ruang-kerja', '/ruang-kerja/pemeriksaan', '/ruang-kerja/kemutakhiran', '/ruang-kerja/daftar-data/baru']],
  ['admin', 'demo-admin-2026', ['/ruang-kerja/pengguna', '/ruang-kerja/organisasi', '/ruang-kerja/pengaturan']],
];

for (const width of [360, 1280]) {
  test(`workspace pages at ${width} px`, async () => {
    for (const [user, password, paths] of roles) {
      const { context, page, problems } = await openPage(browser, server.base, width);
      try {
        await login(page, user, password);
        for (const path of paths) {
          const res = await page.goto(server.base + path);
          assert.equal(res.status(), 200, `${path} answered ${res.status()}`);
          const found = await basics(page);
          assert.deepEqual(found, [], `${user} ${path}: ${found.join('; ')}`);
          const name = `ruang-kerja-${user}${path.replace('/ruang-kerja', '').replaceAll('/', '-')}`;
          await page.screenshot({ path: join(screenshots, `${name}-${width}.png`), fullPage: true });
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });
}

test('the walidata opens a submission from the queue without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  try {
    await login(page, 'walidata', 'demo-walidata-2026');
    await page.goto(server.base + '/ruang-kerja/pemeriksaan');
    const first = page.locator('table.data tbody th a').first();
    assert.ok(await first.count() > 0, 'the demo has submissions waiting');
    await first.click();
    await page.waitForSelector('#riwayat');
    assert.ok(await page.locator('#tindakan').count() > 0, 'the walidata may act on it');
    const found = await basics(page);
    assert.deepEqual(found, [], found.join('; '));
    await page.screenshot({ path: join(screenshots, 'ruang-kerja-pemeriksaan-detail-360.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
