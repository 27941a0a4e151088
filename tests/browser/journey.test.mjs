// The whole journey in headless Chromium, clicked through as people do it: the produsen describes a
// new dataset, uploads an XLSX with errors and sees them marked, uploads the fixed workbook and
// submits; the walidata returns it with a note; the produsen reads the note and resubmits; the
// walidata approves and publishes; the public finds it by search, sees its chart and map, downloads
// it, then opens a desa page and /kemutakhiran. Every page is checked for the basics (labels, text
// alternatives, one h1, no overflow) and screenshotted at 360 px and 1280 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDemo, launch, openPage, basics, screenshots, login as logIn } from './server.mjs';
import { workbook } from './xlsx.mjs';

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

const TITLE = 'Jumlah Posyandu Aktif per Desa';
const SLUG = 'posyandu-aktif-desa';
const DESA = [
  ['16.06.01.2001', 'Sukarami', 4],
  ['16.06.01.2002', 'Lumpatan', 3],
  ['16.06.01.2003', 'Bailangu', 5],
  ['16.06.01.2004', 'Muara Teladan', 2],
  ['16.06.01.2005', 'Bandar Jaya', 6],
  ['16.06.01.1009', 'Kayu Ara', 7],
  ['16.06.01.1010', 'Serasan Jaya', 3],
  ['16.06.01.1011', 'Soak baru', 2],
  ['16.06.01.1012', 'Balai Agung', 4],
  ['16.06.01.2006', 'Sungai Medak', 1],
  ['16.06.01.2007', 'Sungai Batang', 2],
  ['16.06.01.2008', 'Rimba Ukur', 3],
];

/** The workbook as the puskesmas sends it: a notes sheet first, a title row, a source line below. */
function posyanduWorkbook(rows) {
  return workbook([
    ['Catatan', [['Rekap posyandu aktif, Dinas Kesehatan.']]],
    ['Data', [
      ['Tabel 3. Jumlah posyandu aktif menurut desa, 2024'],
      [],
      ['kode_desa', 'nama_desa', 'tahun', 'jumlah_posyandu'],
      ...rows,
      [],
      ['Sumber: laporan bulanan puskesmas'],
    ]],
  ]);
}

const withErrors = posyanduWorkbook(DESA.map(([kode, nama, n], i) => [
  i === 2 ? '16.06.01.9999' : kode, // a desa that does not exist
  nama,
  2024,
  i === 4 ? 'enam' : n, // a number written in words
]));
const fixed = posyanduWorkbook(DESA.map(([kode, nama, n]) => [kode, nama, 2024, n]));

/** Check the page's basics and save it at 1280 px and at 360 px. */
async function look(page, name) {
  const found = await basics(page);
  assert.deepEqual(found, [], `${name} (${page.url()}): ${found.join('; ')}`);
  await page.screenshot({ path: join(screenshots, `perjalanan-${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  const narrow = await basics(page);
  assert.deepEqual(narrow, [], `${name} at 360 px: ${narrow.join('; ')}`);
  await page.screenshot({ path: join(screenshots, `perjalanan-${name}-360.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

const login = (page, username, password) => logIn(page, server.base, username, password);

/** Upload a workbook to the dataset from its upload form; lands on the sheet step. */
async function upload(page, file, { newTable }) {
  await page.getByLabel(/^Berkas data/).setInputFiles({
    name: 'posyandu-2024.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: file,
  });
  if (newTable) {
    await page.locator('#tabel').selectOption('baru');
    await page.locator('#judul_tabel').fill('Posyandu aktif 2024');
  }
  await page.locator('#ringkasan').fill('Data tahun 2024');
  await page.getByRole('button', { name: 'Unggah dan lanjutkan' }).click();
  await page.waitForURL(/\/unggah\/[0-9a-f-]{36}/);
  // Step 2: the data is on the second sheet, under a title row.
  await page.locator('#lembar').selectOption('Data');
  await page.getByRole('button', { name: 'Tampilkan' }).click();
  await page.waitForURL(/lembar=Data/);
  assert.equal(await page.locator('#baris').inputValue(), '3', 'the header row is found under the title');
}

/** Wait on the job page (it reloads itself) until the job has ended. */
async function jobEnded(page) {
  await page.waitForURL(/\/ruang-kerja\/pekerjaan\//);
  await page.waitForSelector('[data-job-state="done"], [data-job-state="failed"]', { timeout: 60_000 });
}

test('produsen → walidata → public, in the browser', async () => {
  const produsen = await openPage(browser, server.base, 1280);
  const walidata = await openPage(browser, server.base, 1280);
  const visitor = await openPage(browser, server.base, 1280);
  try {
    // The produsen describes the new dataset with the metadata form.
    const p = produsen.page;
    await login(p, 'produsen', 'demo-produsen-2026');
    await look(p, '01-ruang-kerja-produsen');
    await p.goto(server.base + '/ruang-kerja/dataset-baru');
    await p.locator('#title').fill(TITLE);
    await p.locator('#slug').fill(SLUG);
    await p.locator('#description').fill('Banyaknya posyandu yang aktif di setiap desa pada akhir tahun.');
    await p.locator('#jenis').selectOption('statistik');
    await p.locator('#access').selectOption('terbuka');
    await p.locator('#periodicity').selectOption('tahunan');
    await p.locator('input[name="topics"]').first().check();
    await p.locator('#satuan').fill('unit');
    await p.locator('#source').fill('Dinas Kesehatan');
    await look(p, '02-metadata');
    await p.getByRole('button', { name: 'Simpan metadata' }).click();
    await p.waitForSelector('text=Berhasil dibuat.');

    // Step 1 with the workbook that has two errors; steps 2 and 3: sheet, header, schema.
    await p.getByRole('link', { name: 'Unggah data' }).first().click();
    await p.waitForURL(/\/unggah$/);
    await look(p, '03-unggah');
    await upload(p, withErrors, { newTable: true });
    assert.equal(await p.getByLabel('Tingkat wilayah kolom kode_desa').inputValue(), 'desa',
      'the desa codes are recognised by their content');
    // The words in one cell make the column look like text: the operator says it holds numbers.
    await p.getByLabel('Jenis isi kolom jumlah_posyandu').selectOption('integer');
    await p.getByLabel('Satuan kolom jumlah_posyandu').fill('unit');
    await look(p, '04-skema');
    await p.getByRole('button', { name: 'Periksa dan impor' }).click();

    // Step 4: the report, with both wrong cells marked in their rows and how to fix them.
    await jobEnded(p);
    await p.waitForSelector('#laporan');
    const marked = await p.locator('td.cell-error').allTextContents();
    assert.ok(marked.some((c) => c.includes('enam')), `the word cell is marked: ${marked}`);
    assert.ok(marked.some((c) => c.includes('16.06.01.9999')), `the unknown desa is marked: ${marked}`);
    assert.match(await p.locator('body').textContent(), /Berkas belum sah/);
    await look(p, '05-laporan-kesalahan');

    // The fixed workbook, to the table the first upload made; then submit.
    await p.getByRole('link', { name: 'Unggah berkas yang sudah diperbaiki' }).click();
    await p.waitForURL(/\/unggah\?tabel=/);
    await upload(p, fixed, { newTable: false });
    await p.getByRole('button', { name: 'Periksa dan impor' }).click();
    await jobEnded(p);
    await p.waitForSelector('text=Berkas sah.');
    await look(p, '06-berkas-sah');
    await p.getByRole('button', { name: 'Ajukan untuk diperiksa' }).click();
    await p.waitForSelector('text=Data diajukan ke walidata');

    // The walidata finds it in the queue, reads the checks and the diff, returns it with a note.
    const w = walidata.page;
    await login(w, 'walidata', 'demo-walidata-2026');
    await w.goto(server.base + '/ruang-kerja/pemeriksaan');
    await look(w, '07-antrean');
    await w.getByRole('link', { name: TITLE }).first().click();
    await w.waitForSelector('#pemeriksaan-otomatis');
    assert.equal(await w.locator('tr.added').count(), DESA.length, 'every row is new');
    await look(w, '08-pemeriksaan');
    await w.getByLabel('Catatan (wajib): apa yang harus diperbaiki').fill('Sebutkan sumber datanya: puskesmas mana saja.');
    // A note on one cell: the column and the row it is about.
    await w.getByLabel('Kolom catatan 1').selectOption('jumlah_posyandu');
    await w.getByLabel('Baris catatan 1').fill('5');
    await w.getByLabel('Isi catatan 1').fill('Tujuh posyandu? Mohon dicek lagi.');
    await w.getByRole('button', { name: 'Kembalikan dengan catatan' }).click();
    await w.waitForSelector('[data-state="dikembalikan"]');

    // The produsen is told on the workspace, reads the note and resubmits.
    await p.goto(server.base + '/ruang-kerja');
    await p.waitForSelector('text=Data dikembalikan untuk diperbaiki');
    await p.locator('a[href*="/ruang-kerja/pemeriksaan/"]').first().click();
    await p.waitForSelector('blockquote[data-note]');
    assert.match(await p.locator('blockquote[data-note]').first().textContent(), /puskesmas mana saja/);
    assert.equal(await p.locator('li[data-note-target="Kolom jumlah_posyandu, baris 5"]').count(), 1, 'the cell note is shown with its place');
    await look(p, '09-catatan-walidata');
    await p.getByRole('button', { name: 'Ajukan ulang' }).click();
    await p.waitForSelector('[data-state="diajukan"]');

    // The walidata approves, then publishes.
    await w.goto(server.base + '/ruang-kerja/pemeriksaan');
    await w.getByRole('link', { name: TITLE }).first().click();
    await w.getByRole('button', { name: 'Setujui' }).click();
    await w.waitForSelector('[data-state="disetujui"]');
    await w.getByRole('button', { name: 'Terbitkan' }).click();
    await w.waitForSelector('[data-state="terbit"]');

    // The public finds it by search and sees its chart and map.
    const v = visitor.page;
    await v.goto(server.base + '/');
    await v.getByLabel('Cari dataset').fill('posyandu aktif');
    await v.getByRole('button', { name: 'Cari' }).click();
    await v.waitForURL(/\/dataset\?q=/);
    await look(v, '10-pencarian');
    await v.getByRole('link', { name: TITLE }).click();
    await v.waitForSelector('h1');
    assert.equal((await v.locator('h1').textContent()).trim(), TITLE);
    const figures = v.locator('figure.chart svg[role="img"]');
    assert.equal(await figures.count(), 2, 'a chart and a map');
    assert.ok(await v.locator(`a[href="/dataset/${SLUG}/posyandu-aktif-2024/peta.svg"]`).count() === 1, 'the map is offered as SVG');
    // The map draws the six desa: each has a polygon named after it.
    const map = await v.locator('figure.chart').nth(1).innerHTML();
    for (const [, nama] of DESA) assert.ok(map.includes(nama), `${nama} is on the map`);
    await look(v, '11-dataset');

    // Download the CSV: the published rows, as in the fixed workbook.
    const [download] = await Promise.all([
      v.waitForEvent('download'),
      v.locator('ul.downloads a', { hasText: /^CSV$/ }).click(),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines[0], 'kode_desa,nama_desa,tahun,jumlah_posyandu');
    assert.equal(lines.length, DESA.length + 1, csv);
    assert.ok(lines.includes('16.06.01.2005,Bandar Jaya,2024,6'), csv);

    // The desa page gathers the new figure; /kemutakhiran answers.
    await v.goto(server.base + '/wilayah/16.06.01.2005');
    assert.ok((await v.locator('main').textContent()).includes(TITLE), 'the desa page lists the new dataset');
    await look(v, '12-desa');
    const res = await v.goto(server.base + '/kemutakhiran');
    assert.equal(res.status(), 200);
    await look(v, '13-kemutakhiran');

    for (const who of [produsen, walidata, visitor]) assert.deepEqual(who.problems, []);
  } finally {
    await produsen.context.close();
    await walidata.context.close();
    await visitor.context.close();
  }
});
