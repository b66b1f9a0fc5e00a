// Sequential MNIST in the lab (its presets are the engine's, schema("lab").presets): the captions that differ for it and its digit chart. The
// data (loaded when the task is chosen) is www/smnist.js's, shared with the article.
export { isSmnist, ready, load, dataFor } from '../smnist.js';
import { isSmnist } from '../smnist.js';

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
