/**
 * The tag vocabulary of the knowledge content: the services a space offers and the topics of an
 * event. The CSV import (src/knowledge/content.ts) and staff edits (src/storage/staff-content-store.ts)
 * accept these and no others. They are the understanding step's entity values (one list, declared
 * with the other contracts in src/understand/intents.ts), so what a person asks for is what the
 * content can be tagged with.
 */
import { serviceKeys, topicKeys } from '../understand/intents.js';

export const serviceTags = serviceKeys;
export type ServiceTag = (typeof serviceTags)[number];

export const topicTags = topicKeys;
export type TopicTag = (typeof topicTags)[number];
