/**
 * The tag vocabulary of the knowledge content: the services a space offers and the topics of an
 * event. The CSV import (src/knowledge/content.ts) and staff edits (src/storage/staff-content-store.ts)
 * accept these and no others.
 */

export const serviceTags = [
  'wifi',
  'desk',
  'kitchen',
  'childcare',
  'quiet_room',
  'meeting_room',
  'podcast_studio',
  'printer',
  'accessible',
  'mentoring',
  'italian_practice',
  'training',
  'events',
  'welcome_desk',
  'lockers',
  'cafe',
  'maker_lab',
  'rural',
] as const;
export type ServiceTag = (typeof serviceTags)[number];

export const topicTags = ['networking', 'italian', 'digital_skills', 'jobs', 'entrepreneurship', 'culture', 'mentoring', 'family', 'language_exchange', 'legal_info', 'training'] as const;
export type TopicTag = (typeof topicTags)[number];
