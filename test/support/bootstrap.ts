import { ConsoleLogger, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import request from 'supertest';

export type AdapterName = 'express' | 'fastify';

/** Every end-to-end case runs on both HTTP adapters. */
export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

/**
 * Boots a Nest application with `metadata` on the given adapter, logging at every
 * level (debug and verbose too) so that the log hygiene check sees all of it.
 * `configure` runs before init (a global prefix, say).
 */
export async function createApp(
  adapter: AdapterName,
  metadata: ModuleMetadata,
  configure?: (app: INestApplication) => void,
): Promise<INestApplication> {
  return appOf(adapter, await Test.createTestingModule(metadata).compile(), configure);
}

/** The same, from a compiled testing module (one with `overrideProvider`, say). */
export async function appOf(
  adapter: AdapterName,
  moduleRef: TestingModule,
  configure?: (app: INestApplication) => void,
): Promise<INestApplication> {
  const app = moduleRef.createNestApplication(adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), {
    logger: new ConsoleLogger({ logLevels: ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] }),
  });
  configure?.(app);
  await app.init();
  if (adapter === 'fastify') await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** supertest bound to the application's server. */
export function http(app: INestApplication) {
  return request(app.getHttpServer());
}

/** The `Authorization` header of a bearer token, for supertest's `.set()`. */
export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
