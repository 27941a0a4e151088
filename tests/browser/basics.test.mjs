// The basics check itself, on pages made to fail it: a check that cannot fail would prove nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, basics } from './server.mjs';

test('the basics check finds missing alternatives, labels, low contrast and overflow', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.setContent(`<html><body>
      <h1>Satu</h1><h1>Dua</h1>
      <img src="data:,">
      <svg width="10" height="10"></svg>
      <input type="text" name="tanpa-label">
      <p style="color:#999">abu-abu muda di putih</p>
      <div style="background:#0b5f8a"><span style="color:#fff">putih di biru</span></div>
      <div style="width:500px">terlalu lebar</div>
    </body></html>`);
    const found = await basics(page);
    const has = (re) => assert.ok(found.some((f) => re.test(f)), `${re} in ${JSON.stringify(found)}`);
    has(/^img without alt/);
    has(/^svg without role=img/);
    has(/^field without label/);
    has(/^contrast 2\.\d\d:1 of <p> "abu-abu muda/);
    has(/^2 h1 elements/);
    has(/^no lang on <html>/);
    has(/^page is wider than the screen: 5\d\d > 360 \(<div>terlalu lebar/);
    assert.ok(!found.some((f) => f.includes('putih di biru')), 'white on the brand blue passes');

    await page.setContent(`<html lang="id"><body><h1>Baik</h1><label for="a">Nama</label><input id="a">
      <img src="data:," alt=""><svg role="img" aria-label="Grafik" width="10" height="10"></svg></body></html>`);
    assert.deepEqual(await basics(page), []);
  } finally {
    await browser.close();
  }
});
