// Renders a local HTML page in headless Chromium over the DevTools protocol
// (puppeteer-core, no browser download) and checks what a reader would see:
// no console errors, no failed requests, every image decoded with a size.
// Usage: node render-page.cjs PUPPETEER_CORE_DIR CHROMIUM PAGE.html SHOT.png
'use strict';
const [,, pdir, chromium, page_path, shot] = process.argv;
const puppeteer = require(pdir);
const path = require('path');

(async () => {
  const problems = [];
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu',
      '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      console.log(`console.${m.type()}: ${m.text()}`);
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      // links to outputs are not fetched; a failed request is an image or CSS
      problems.push(`request failed: ${r.url().slice(0, 80)} ${r.failure().errorText}`);
    });
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto('file://' + path.resolve(page_path), { waitUntil: 'load' });
    const imgs = await page.$$eval('img', (els) => els.map((e) => ({
      alt: e.alt, complete: e.complete, w: e.naturalWidth, h: e.naturalHeight })));
    const rows = await page.$$eval('tbody tr', (els) => els.length);
    for (const i of imgs)
      if (!i.complete || i.w === 0 || i.h === 0) problems.push(`image not loaded: ${i.alt}`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`rows ${rows}, images ${imgs.length} loaded ${imgs.length - problems.filter((p) => p.startsWith('image')).length}`);
    console.log(`screenshot: ${path.resolve(shot)}`);
  } finally {
    await browser.close();
  }
  if (problems.length) {
    for (const p of problems) console.log('PROBLEM ' + p);
    process.exit(1);
  }
})().catch((e) => { console.log('PROBLEM ' + e.stack); process.exit(1); });
