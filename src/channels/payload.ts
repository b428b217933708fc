/** Small readers for untrusted JSON: each returns undefined instead of throwing on a wrong shape. */
import { wellFormed } from '../core/text.js';

export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}
/** A string, made well-formed (no NUL, no lone surrogates) so that nothing a platform sends can be unstorable. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? wellFormed(v) : undefined;
}
/** A finite number, or a numeric string (WhatsApp sends coordinates both ways). */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
export function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
/** A latitude/longitude pair inside the valid ranges. */
export function latLng(lat: unknown, lng: unknown): { lat: number; lng: number } | undefined {
  const a = num(lat);
  const b = num(lng);
  if (a === undefined || b === undefined || Math.abs(a) > 90 || Math.abs(b) > 180) return undefined;
  return { lat: a, lng: b };
}
