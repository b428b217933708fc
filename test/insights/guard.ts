/** A real but minimal guard for tests: the role comes from a header (the accounts feature replaces it). */
import type { InsightsGuard } from '../../src/insights/dashboard.js';

export const testGuard: InsightsGuard = async (c, next) => {
  const role = c.req.header('x-test-role');
  if (!role) return c.text('Please sign in.', 401);
  if (role !== 'coordinator' && role !== 'admin') return c.text('You need a coordinator or admin account.', 403);
  await next();
};
