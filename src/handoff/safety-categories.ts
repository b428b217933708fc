/** The kinds of danger the safety check recognises (`safety.ts`), apart so the term lists can name them. */
export const safetyCategories = ['violence', 'exploitation', 'unpaid', 'documents', 'threats', 'selfharm', 'medical'] as const;
export type SafetyCategory = (typeof safetyCategories)[number];
