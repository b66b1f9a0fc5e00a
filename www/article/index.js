// The article's studies, in order: one module each (www/article/), one line here.
import { study as connectivity } from './connectivity.js';
import { study as local } from './local.js';
import { study as sgd } from './sgd.js';
import { study as grokking } from './grok.js';

export const STUDIES = [connectivity, local, sgd, grokking];
