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
    private readonly index: Map<string, number>,
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

  /** The model as bytes (feature names, then the weights): the training cache. */
  serialize(): Buffer {
    const names = Buffer.from(JSON.stringify([...this.index.keys()]), 'utf8');
    const head = Buffer.alloc(8);
    head.writeUInt32LE(names.length, 0);
    head.writeUInt32LE(intents.length, 4);
    return Buffer.concat([head, names, Buffer.from(this.bias.buffer, this.bias.byteOffset, this.bias.byteLength), Buffer.from(this.weights.buffer, this.weights.byteOffset, this.weights.byteLength)]);
  }

  /** A model read back from {@link serialize}; undefined when the bytes do not fit this version. */
  static deserialize(bytes: Buffer): LinearIntentModel | undefined {
    try {
      const nameBytes = bytes.readUInt32LE(0);
      if (bytes.readUInt32LE(4) !== intents.length) return undefined;
      const names = JSON.parse(bytes.subarray(8, 8 + nameBytes).toString('utf8')) as string[];
      const K = intents.length;
      const rest = bytes.subarray(8 + nameBytes);
      if (rest.byteLength !== 4 * K * (1 + names.length)) return undefined;
      const floats = new Float32Array(rest.buffer.slice(rest.byteOffset, rest.byteOffset + rest.byteLength));
      return new LinearIntentModel(new Map(names.map((n, i) => [n, i])), floats.subarray(K), floats.subarray(0, K));
    } catch {
      return undefined;
    }
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
