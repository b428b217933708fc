/**
 * The project card: assembled offline from the answers with templates, in the person's language
 * and, for staff, in Italian and English. Free-text answers stay in the person's own words.
 */
import type { Translate } from '../i18n/i18n.js';
import type { Answer } from './engine.js';
import type { AskStep, Flow, SayText, Text } from './format.js';
import type { MatchCriteria } from './matches.js';

/** Translates a flow text (key or per-language map, or several as paragraphs) in one language. */
export function textIn(t: Translate, lang: string, text: Text | SayText, vars?: Record<string, string | number>): string {
  if (Array.isArray(text)) return text.map((x) => textIn(t, lang, x, vars)).join('\n\n');
  if (typeof text === 'string') return t(text, vars);
  const raw = text[lang] ?? text.en ?? '';
  return vars ? raw.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v] ?? '')) : raw;
}

/** The support level the answers point to (1 welcome, 2 help with the project, 3 an expert). */
export function supportLevelOf(answers: Record<string, Answer>): 1 | 2 | 3 {
  const v = answers.support_level?.value;
  return v === 3 || v === 2 ? v : 1;
}

/** The card questions that were answered, in flow order. */
export function cardSteps(flow: Flow, answers: Record<string, Answer>): AskStep[] {
  return flow.steps.filter((s): s is AskStep => s.type === 'ask' && !!s.card && answers[s.field] !== undefined && answers[s.field]!.value !== null);
}

/** One answer as the card shows it. */
export function showAnswer(step: AskStep, answer: Answer, t: Translate, lang: string): string {
  const label = (v: string) => {
    if (v === 'other') return answer.text ?? t('flows:card.other');
    const o = step.options?.find((x) => x.value === v);
    return o ? textIn(t, lang, o.label) : v;
  };
  const v = answer.value;
  if (step.kind === 'text') return answer.text ?? '';
  if (typeof v === 'boolean') return t(v ? 'flows:engine.yes' : 'flows:engine.no');
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(label).join(' · ');
  if (v && typeof v === 'object') return t('flows:card.sharedLocation');
  if (typeof v === 'string') return v === 'place' ? (answer.text ?? '') : label(v);
  return '';
}

/**
 * The whole card as one message, in the language of `t`. A `summary` written by the model goes
 * first, marked as machine-written; the answers below it stay the person's own.
 */
export function renderCard(flow: Flow, answers: Record<string, Answer>, t: Translate, lang: string, summary?: string): string {
  const lines = [t('flows:card.title'), ''];
  if (summary) lines.push(summary, t('flows:card.machineNote'), '');
  for (const step of cardSteps(flow, answers)) {
    lines.push(`• ${textIn(t, lang, step.card!)}: ${showAnswer(step, answers[step.field]!, t, lang)}`);
  }
  const level = supportLevelOf(answers);
  lines.push('', `${t('flows:card.support')}: ${t(`flows:card.level${level}`)}`);
  return lines.join('\n');
}

const list = (a: Answer | undefined): string[] => (Array.isArray(a?.value) ? (a!.value as string[]).filter((v) => v !== 'other') : []);
const str = (a: Answer | undefined): string | undefined => (typeof a?.value === 'string' && a.value !== 'other' && a.value !== 'text' ? a.value : undefined);
const kmByReach: Record<string, number> = { walk: 2, bus30: 8, city: 30 };

/** The enums and numbers a match provider needs; no free text. */
export function criteriaOf(answers: Record<string, Answer>, lang: string): MatchCriteria {
  const where = answers.district?.value;
  return {
    lang,
    stage: str(answers.stage),
    needs: list(answers.needs),
    equipment: list(answers.equipment),
    topics: list(answers.interests),
    freeTimes: list(answers.free_time),
    budget: str(answers.budget),
    childcare: typeof answers.childcare?.value === 'boolean' ? answers.childcare.value : undefined,
    district: typeof where === 'string' && where !== 'other' ? where : undefined,
    location: where && typeof where === 'object' && !Array.isArray(where) ? where : undefined,
    maxKm: kmByReach[str(answers.reach) ?? ''],
    supportLevel: supportLevelOf(answers),
  };
}
