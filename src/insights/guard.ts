/** The real guard for `/insights`: a logged-in coordinator or admin (accounts from src/web/auth.ts). */
import { requireRole, staffAuth, type AuthPorts } from '../web/auth.js';
import type { InsightsGuard } from './dashboard.js';

export function coordinatorGuard(app: AuthPorts): InsightsGuard {
  const session = staffAuth(app).middleware();
  const role = requireRole('coordinator', 'admin');
  return async (c, next) => {
    let out: Response | void = undefined;
    // The session middleware sets the account, then the role check runs the page.
    const res = await session(c as never, async () => {
      out = (await role(c as never, next)) as Response | void;
    });
    return (res as Response | void) ?? out;
  };
}
