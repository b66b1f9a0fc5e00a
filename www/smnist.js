// Sequential MNIST's data, for the lab and the article's checks. The MNIST files (data/mnist/*.gz,
// 11 MB) load only when needed, after a notice that says their size; the browser decompresses them
// (DecompressionStream) and each worker's engine gets the raw IDX bytes (load_mnist).
import { notice } from './shared.js';

const TASK = 'smnist';
const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
const GZ_BYTES = 11_369_320; // the four .gz files
const RAW_BYTES = 54_950_048; // decompressed, as each training worker holds them

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
