// Sequential MNIST on the lab's page. The MNIST files (data/mnist/*.gz, 11 MB) load only when the
// task is chosen, after a notice that says their size; the browser decompresses them
// (DecompressionStream) and each worker's engine gets the raw IDX bytes (load_mnist).
import { notice } from './shared.js';

const TASK = 'smnist';
const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
const GZ_BYTES = 11_369_320; // the four .gz files
const RAW_BYTES = 54_950_048; // decompressed, as each training worker holds them

/** Finishes in seconds: a small network, few measures, Adam (about 0.74 test accuracy natively). */
export const FAST = { hidden: '64', batch: '32', iters: '300', every: '30', opt: 'adam', lr: '0.002' };
// The paper's sMNIST batch (its iteration count is unknown: the lab's paper preset keeps 10,000), with SGD as for the other tasks.
export const PAPER = { batch: '200', opt: 'sgd', lr: '0.003' };
export const FAST_NOTE = 'sMNIST: its fast preset (N 64, batch 32, 300 iterations, Adam at lr 0.002); the paper used N 300 and batch 200.';

let files = null; // the four raw files, once loaded
let loading = null;

export const isSmnist = (config) => config?.task === TASK;
export const ready = () => files !== null;
/** What a worker needs for `config`: the raw files for sMNIST, nothing otherwise. */
export const dataFor = (config) => (isSmnist(config) && files ? files : undefined);

const mb = (bytes) => (bytes / 1e6).toFixed(1);

/** Loads the files once (later calls share the same promise); the notice gives the size before the download starts. */
export function load() {
  if (files) return Promise.resolve(files);
  if (loading) return loading;
  notice(`sMNIST needs the MNIST images: ${mb(GZ_BYTES)} MB to download, ${mb(RAW_BYTES)} MB once decompressed (in each training worker). Loading them now.`);
  const t0 = performance.now();
  loading = Promise.all(FILES.map(fetchRaw)).then(
    (raw) => {
      files = raw;
      notice(`MNIST loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s: 60,000 training and 10,000 test images.`);
      return files;
    },
    (e) => {
      loading = null;
      notice(`MNIST could not be loaded (${e.message ?? e}); choose the task again to retry.`, 'error');
      throw e;
    },
  );
  return loading;
}

async function fetchRaw(name) {
  const res = await fetch(new URL(`../data/mnist/${name}.gz`, import.meta.url));
  if (!res.ok) throw new Error(`${name}.gz: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // A server that sends the file with Content-Encoding: gzip has already undone the gzip.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const raw = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(raw).arrayBuffer());
}

// The captions that differ for sMNIST (the lab's own come back when another task is chosen).
const CAPTIONS = {
  accuracy: 'Fraction of test images classified right at the last step (a fixed probe subset of the test set); chance is 0.1.',
  trial: 'One trial: a training digit, row t of the image is the input at step t (pixels scaled to [0, 1]); only the last step is scored.',
};

/** Sets the charts' captions for `config`'s task. */
export function captions(config) {
  for (const [chart, text] of Object.entries(CAPTIONS)) {
    const c = document.querySelector(`[data-chart="${chart}"] figcaption`);
    if (!c) continue;
    c.dataset.lab ??= c.textContent;
    c.textContent = isSmnist(config) ? text : c.dataset.lab;
  }
}

/** The sample trial as the image it is: row t of the digit is the input at step t. */
export function drawTrial(t, canvas, dpr, heatmapAxes) {
  const [x, y, w, h] = heatmapAxes(canvas, `One sMNIST trial: digit ${t.labels[t.seq_len - 1]}, scored at step ${t.seq_len - 1}`, 'input (pixel column)', 'step (pixel row)', t.seq_len, dpr);
  const img = document.createElement('canvas');
  img.width = t.n_in;
  img.height = t.seq_len;
  const rgba = new Uint8ClampedArray(t.n_in * t.seq_len * 4);
  t.x.forEach((v, i) => { rgba.fill(255 - Math.round(255 * v), 4 * i, 4 * i + 3); rgba[4 * i + 3] = 255; });
  img.getContext('2d').putImageData(new ImageData(rgba, t.n_in, t.seq_len), 0, 0);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(img, x, y, w, h);
}
