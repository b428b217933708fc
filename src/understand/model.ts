/**
 * The offline intent model: multinomial logistic regression (softmax) over the binary features of
 * {@link featuresOf}, trained with AdaGrad on the phrases under `data/intents/`. Small, deterministic
 * (fixed seed), no dependency, about a second to train; the README compares it with NLP.js.
 */
import { featuresOf } from './features.js';
import { intents, type Intent } from './intents.js';

export interface Example {
  text: string;
  intent: Intent;
  /** How much the example counts in training (default 1; generated copies count less). */
  weight?: number;
}

/** Intents with a probability, best first. */
export type Scores = { intent: Intent; confidence: number }[];

/** Anything that scores a text: the offline model, or a library under comparison. */
export interface IntentClassifier {
  classify(text: string): Scores;
}

export interface TrainOptions {
  epochs?: number;
  /** AdaGrad's learning rate. */
  rate?: number;
  /** L2 penalty per update. */
  l2?: number;
  seed?: number;
  /**
   * Weigh each example by how rare its intent is (0 = plain, 1 = fully balanced), so an intent
   * with many phrases (safety) does not pull every long message towards it.
   */
  balance?: number;
}

/** A trained model: a feature index and one weight per (feature, intent). */
export class LinearIntentModel implements IntentClassifier {
  private constructor(
    private readonly index: FeatureIndex,
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
  ) {}

  static train(examples: readonly Example[], opts: TrainOptions = {}): LinearIntentModel {
    const epochs = opts.epochs ?? 12;
    const rate = opts.rate ?? 0.4;
    const l2 = opts.l2 ?? 3e-4;
    const K = intents.length;
    const index = new Map<string, number>();
    const balance = opts.balance ?? 1;
    const perIntent = new Map<string, number>();
    for (const e of examples) perIntent.set(e.intent, (perIntent.get(e.intent) ?? 0) + (e.weight ?? 1));
    const mean = [...perIntent.values()].reduce((a, b) => a + b, 0) / Math.max(1, perIntent.size);
    const rows = examples.map((e) => {
      const ids = featuresOf(e.text).map((f) => {
        let id = index.get(f);
        if (id === undefined) index.set(f, (id = index.size));
        return id;
      });
      const weight = Math.pow(mean / perIntent.get(e.intent)!, balance) * (e.weight ?? 1);
      return { ids: Int32Array.from(ids), y: intents.indexOf(e.intent), scale: 1 / Math.sqrt(ids.length), weight };
    });
    const W = new Float32Array(index.size * K);
    const G = new Float32Array(index.size * K).fill(1e-8);
    const b = new Float32Array(K);
    const gb = new Float32Array(K).fill(1e-8);
    const z = new Float64Array(K);
    let seed = opts.seed ?? 42;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const order = rows.map((_, i) => i);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const r of order) {
        const { ids, y, scale, weight } = rows[r]!;
        softmaxInto(z, W, b, ids, scale, K);
        for (let k = 0; k < K; k++) {
          const g = (z[k]! - (k === y ? 1 : 0)) * weight;
          if (Math.abs(g) < 1e-4) continue;
          gb[k]! += g * g;
          b[k]! -= (rate * g) / Math.sqrt(gb[k]!);
          const gs = g * scale;
          for (const id of ids) {
            const at = id * K + k;
            const grad = gs + l2 * W[at]!;
            G[at]! += grad * grad;
            W[at]! -= (rate * grad) / Math.sqrt(G[at]!);
          }
        }
      }
    }
    return new LinearIntentModel(index, W, b);
  }

  classify(text: string): Scores {
    const K = intents.length;
    const ids = featuresOf(text)
      .map((f) => this.index.get(f))
      .filter((x): x is number => x !== undefined);
    const z = new Float64Array(K);
    softmaxInto(z, this.weights, this.bias, Int32Array.from(ids), ids.length ? 1 / Math.sqrt(ids.length) : 0, K);
    return intents.map((intent, k) => ({ intent, confidence: z[k]! })).sort((a, b) => b.confidence - a.confidence);
  }

  /** How many distinct features the model knows (for the README's figures). */
  get size(): number {
    return this.index.size;
  }

  /**
   * The model as bytes, the training cache: a header, the weights, then the feature index as an
   * open-addressing hash table over the names' UTF-16 code units, so {@link deserialize} only lays
   * typed arrays over the bytes (no 286,000 strings and no Map to build: ~1 s and ~50 MB less).
   */
  serialize(): Buffer {
    const K = this.bias.length;
    const names = this.index instanceof PackedIndex ? this.index.names() : namesOf(this.index as Map<string, number>);
    const n = names.length;
    const offsets = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + names[i]!.length;
    const chars = new Uint16Array(offsets[n]!);
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      for (let j = 0, at = offsets[i]!; j < name.length; j++) chars[at + j] = name.charCodeAt(j);
    }
    // At most half full, so a missing feature is told in a probe or two.
    let size = 1;
    while (size < 2 * n) size *= 2;
    const table = new Uint32Array(size);
    for (let i = 0; i < n; i++) {
      let slot = hashName(names[i]!) & (size - 1);
      while (table[slot] !== 0) slot = (slot + 1) & (size - 1);
      table[slot] = i + 1;
    }
    const head = new Uint32Array([MODEL_MAGIC, K, n, size, chars.length]);
    const weights = this.weights.subarray(0, n * K);
    return Buffer.concat([head, this.bias, weights, offsets, table, chars].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  }

  /** A model read back from {@link serialize}; undefined when the bytes do not fit this version. */
  static deserialize(bytes: Buffer): LinearIntentModel | undefined {
    try {
      // Typed arrays need their element size's alignment; a file read whole starts at offset 0.
      const buf = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
      const u32 = (at: number, count: number) => new Uint32Array(buf.buffer, buf.byteOffset + at, count);
      if (buf.byteLength < 20) return undefined;
      const [magic, K, n, size, charCount] = u32(0, 5) as unknown as [number, number, number, number, number];
      if (magic !== MODEL_MAGIC || K !== intents.length) return undefined;
      let at = 20;
      const bias = new Float32Array(buf.buffer, buf.byteOffset + at, K);
      at += 4 * K;
      const weights = new Float32Array(buf.buffer, buf.byteOffset + at, n * K);
      at += 4 * n * K;
      const offsets = u32(at, n + 1);
      at += 4 * (n + 1);
      const table = u32(at, size);
      at += 4 * size;
      if (buf.byteLength !== at + 2 * charCount || offsets[n] !== charCount) return undefined;
      const chars = new Uint16Array(buf.buffer, buf.byteOffset + at, charCount);
      return new LinearIntentModel(new PackedIndex(table, offsets, chars), weights, bias);
    } catch {
      return undefined;
    }
  }
}

/** "CWI2": the cache format of {@link LinearIntentModel.serialize}; another value (an older file) is not read. */
const MODEL_MAGIC = 0x32495743;

/** Feature name → row of the weights (a Map while training; {@link PackedIndex} when read from the cache). */
interface FeatureIndex {
  get(feature: string): number | undefined;
  readonly size: number;
}

function namesOf(index: Map<string, number>): string[] {
  const names: string[] = new Array(index.size);
  for (const [name, id] of index) names[id] = name;
  return names;
}

/** FNV-1a over a string's UTF-16 code units. */
function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The feature index as stored: a hash table of ids over the names' code units (see `serialize`). */
class PackedIndex implements FeatureIndex {
  constructor(
    private readonly table: Uint32Array,
    private readonly offsets: Uint32Array,
    private readonly chars: Uint16Array,
  ) {}

  get size(): number {
    return this.offsets.length - 1;
  }

  get(feature: string): number | undefined {
    const mask = this.table.length - 1;
    for (let slot = hashName(feature) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot]!;
      if (entry === 0) return undefined;
      if (this.is(entry - 1, feature)) return entry - 1;
    }
  }

  /** Every name, in id order (to write the model again). */
  names(): string[] {
    const out: string[] = [];
    for (let id = 0; id < this.size; id++) out.push(String.fromCharCode(...this.chars.subarray(this.offsets[id]!, this.offsets[id + 1]!)));
    return out;
  }

  private is(id: number, feature: string): boolean {
    const from = this.offsets[id]!;
    if (this.offsets[id + 1]! - from !== feature.length) return false;
    for (let j = 0; j < feature.length; j++) if (this.chars[from + j] !== feature.charCodeAt(j)) return false;
    return true;
  }
}

function softmaxInto(z: Float64Array, W: Float32Array, b: Float32Array, ids: Int32Array, scale: number, K: number): void {
  for (let k = 0; k < K; k++) z[k] = b[k]!;
  for (const id of ids) {
    const base = id * K;
    for (let k = 0; k < K; k++) z[k]! += W[base + k]! * scale;
  }
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (z[k]! > max) max = z[k]!;
  let sum = 0;
  for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - max);
  for (let k = 0; k < K; k++) z[k]! /= sum;
}
