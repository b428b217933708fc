import type { Hono } from 'hono';

/** Extra routes a module mounts on the server (webhooks, consoles). */
export type RouteMounter = (app: Hono) => void;
