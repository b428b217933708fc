/**
 * Voice notes → text through an OpenAI-compatible speech-to-text endpoint (optional). The channel
 * downloads the audio ({@link ChannelAdapter.fetchMedia}); the transcript is handled like typed text.
 */
import { configuredLlm } from '../llm/client.js';
import type { Config } from '../config.js';
import type { InboundMessage } from '../core/types.js';
import type { Logger } from '../logger.js';
import type { ChannelAdapter } from './channel.js';

/** The most audio we send for transcription (OpenAI's limit is 25 MB; Telegram bots download ≤ 20 MB). */
export const MAX_AUDIO_BYTES = 20 * 1024 * 1024;

/** Turns an inbound voice note into text, or undefined (not configured, download or service failed). */
export type Transcribe = (inbound: InboundMessage) => Promise<string | undefined>;

/** The transcriber the configuration asks for, or undefined when TRANSCRIBE_MODEL is not set. */
export function configuredTranscriber(config: Config, channels: ReadonlyMap<string, ChannelAdapter>, log: Logger): Transcribe | undefined {
  const { transcribeModel } = config.llm;
  const llm = transcribeModel ? configuredLlm(config, { maxRetries: 1, timeoutMs: 60_000 }) : undefined;
  if (!transcribeModel || !llm) return undefined;
  const { client } = llm;
  return async (inbound) => {
    const c = inbound.content;
    const adapter = channels.get(inbound.channel);
    if (c.type !== 'voice' || !c.mediaId || !adapter?.fetchMedia) return undefined;
    try {
      const media = await adapter.fetchMedia(c.mediaId, MAX_AUDIO_BYTES);
      if (!media) return undefined;
      const ext = /mpeg|mp3/.test(media.mimeType) ? 'mp3' : /mp4|m4a|aac/.test(media.mimeType) ? 'm4a' : 'ogg';
      const { toFile } = await import('openai');
      const file = await toFile(media.data, `voice.${ext}`, { type: media.mimeType.split(';')[0] });
      const r = await client.audio.transcriptions.create({ file, model: transcribeModel });
      const text = r.text?.trim();
      return text ? text : undefined;
    } catch (err) {
      log.warn({ channel: inbound.channel, err: err instanceof Error ? err.message.slice(0, 160) : 'unknown' }, 'voice: transcription failed');
      return undefined;
    }
  };
}
