// Shared by the browser tests: a static server over dist/ and Debian's headless Chromium.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

/** Serves dist/ on 127.0.0.1 at a free port; resolves to { url, close }. */
export async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
    try {
      const body = await readFile(join(dist, path === '' ? 'index.html' : path));
      res.writeHead(200, { 'content-type': TYPES[extname(path) || '.html'] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Serves one HTML page (a page that embeds the site) at a free port of its own, so a second origin
 * beside serve()'s; resolves to { url, close }. */
export async function serveHtml(html) {
  const server = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(html); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

/** A page that records console errors, page errors, requests and workers. */
export async function open(browser, url, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 }, ...opts });
  const page = await context.newPage();
  const log = { errors: [], requests: [], workers: 0, dialogs: 0 };
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('worker', () => { log.workers += 1; });
  page.on('dialog', (d) => { log.dialogs += 1; d.dismiss(); });
  await page.goto(url);
  return { page, context, log };
}

/** Waits until the page reports `phase` (window.richlazy.phase). */
export async function waitPhase(page, phases, timeout = 120_000) {
  const list = [].concat(phases);
  await page.waitForFunction((l) => window.richlazy && l.includes(window.richlazy.phase), list, { timeout });
  return page.evaluate(() => window.richlazy.phase);
}

/** Number of non-white pixels on a chart's canvas. */
export function inkOf(page, chart) {
  return page.evaluate((name) => {
    const c = document.querySelector(`[data-chart="${name}"] canvas`);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) ink++;
    return ink;
  }, chart);
}

export const finals = (page) => page.evaluate(() => window.richlazy.runs.map((r) => r.report && JSON.stringify(r.report.final)));

/** The entries of a stored zip (the lab's .npz), read from its local headers, each CRC checked. */
export function unzip(buf) {
  const out = new Map();
  let at = 0;
  while (buf.readUInt32LE(at) === 0x04034b50) {
    assert.equal(buf.readUInt16LE(at + 8), 0, 'stored, not compressed');
    const size = buf.readUInt32LE(at + 18);
    const nameLen = buf.readUInt16LE(at + 26);
    const name = buf.subarray(at + 30, at + 30 + nameLen).toString();
    const data = buf.subarray(at + 30 + nameLen, at + 30 + nameLen + size);
    assert.equal(crc32(data), buf.readUInt32LE(at + 14), `${name}: CRC`);
    out.set(name, data);
    at += 30 + nameLen + size;
  }
  assert.equal(buf.readUInt32LE(buf.length - 22), 0x06054b50, 'ends in a central directory');
  assert.equal(buf.readUInt16LE(buf.length - 12), out.size);
  return out;
}

/** A 2-d .npy file's dtype and shape from its header: ['<f4', '24', '3']. */
export const npyShape = (npy) => npy.subarray(10, 10 + npy.readUInt16LE(8)).toString().match(/'descr': '([^']+)'.*'shape': \((\d+), (\d+)\)/).slice(1);
