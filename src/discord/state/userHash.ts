import { createHash } from 'node:crypto';

/** Logs and feedback identify users by this hash, never by their Discord id. */
export function hashUserId(userId: string): string {
  return createHash('sha256').update(userId).digest('hex');
}
