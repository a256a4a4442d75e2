import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RateLimiter } from '../accounts/rate-limit.ts';

/**
 * A store for @fastify/rate-limit (its documented `store` option) on the PostgreSQL counters of
 * the storefront limits, so a route's limit (staff login and setup) counts the hits of every
 * server process together. Fixed windows of the route's `timeWindow`, on the app's clock; each
 * route counts apart, as with the plugin's in-memory store.
 */
export function postgresRateLimitStore(limiter: RateLimiter): FastifyRateLimitStoreCtor {
  class PostgresRateLimitStore implements FastifyRateLimitStore {
    private readonly kind: string;
    constructor(kind: unknown = 'http') {
      this.kind = typeof kind === 'string' ? kind : 'http';
    }
    // The plugin passes the window in milliseconds after the callback (its types leave it out).
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindowMs = 60_000): void {
      limiter.count(this.kind, key, timeWindowMs).then(
        ({ hits, retryAfterMs }) => callback(null, { current: hits, ttl: retryAfterMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }
    child(routeOptions: unknown): FastifyRateLimitStore {
      // The plugin passes the route's merged rate-limit settings, with the route as `routeInfo`.
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new PostgresRateLimitStore(`route:${String(route?.method ?? '')} ${String(route?.url ?? '')}`);
    }
  }
  return PostgresRateLimitStore;
}
